import { parse as parseIso, pattern as isoPattern } from 'iso8601-duration';
import type { DiagnosticCode } from './diagnostics';

/** A duration turned into milliseconds, or why it cannot be. */
export type DurationResult = { ok: true; ms: number } | { ok: false; code: DiagnosticCode; message: string };

const WHOLE = new RegExp(`^${isoPattern.source}$`);
const SECOND = 1000;
const UNIT_MS = {
  weeks: 7 * 86_400 * SECOND,
  days: 86_400 * SECOND,
  hours: 3_600 * SECOND,
  minutes: 60 * SECOND,
  seconds: SECOND,
} as const;

/**
 * ISO 8601 durations (`PT4H`, `P2D`, `P1W`, `PT1.5H`) in milliseconds. Months and years are
 * refused: they have no fixed length, and a timer needs one. A leading `-` is read (so the
 * designer learns the duration is negative, not merely malformed); zero is refused because no
 * timer, reminder or timeout means anything at zero.
 */
export function parseDuration(text: string): DurationResult {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const example = 'write it in ISO 8601, e.g. PT30M, PT4H, P2D or P1W';
  if (!WHOLE.test(body) || body.endsWith('T')) {
    return { ok: false, code: 'duration.invalid', message: `'${text}' is not a duration: ${example}` };
  }
  let parts: ReturnType<typeof parseIso>;
  try {
    parts = parseIso(body);
  } catch (error) {
    return {
      ok: false,
      code: 'duration.invalid',
      message: `'${text}' is not a duration (${(error as Error).message}): ${example}`,
    };
  }
  if (parts.years || parts.months) {
    return {
      ok: false,
      code: 'duration.invalid',
      message: `'${text}' uses years or months, which have no fixed length; use days or weeks instead (e.g. P30D)`,
    };
  }
  let ms = 0;
  for (const [unit, factor] of Object.entries(UNIT_MS)) ms += (parts[unit as keyof typeof UNIT_MS] ?? 0) * factor;
  ms = Math.round(ms);
  if (negative && ms > 0)
    return { ok: false, code: 'duration.negative', message: `'${text}' is negative; durations count forward from now` };
  if (ms === 0)
    return { ok: false, code: 'duration.zero', message: `'${text}' is zero; give a duration longer than zero` };
  return { ok: true, ms };
}

const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Milliseconds as the canonical ISO 8601 duration `parseDuration` reads back to the same number:
 * days, then hours, minutes and seconds (a fraction only on seconds), no weeks, years or months
 * (`P1D`, `PT1H30M`, `P1DT2H`, `PT0.25S`). Zero is `PT0S` and a negative duration has a leading `-`,
 * as the parser reads them. Fractions of a millisecond are rounded away.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`${ms} ms is not a duration`);
  const whole = Math.round(Math.abs(ms));
  if (whole === 0) return 'PT0S';
  const days = Math.floor(whole / DAY);
  const hours = Math.floor((whole % DAY) / HOUR);
  const minutes = Math.floor((whole % HOUR) / MINUTE);
  const millis = whole % MINUTE;
  const seconds = millis % SECOND === 0 ? String(millis / SECOND) : (millis / SECOND).toFixed(3).replace(/0+$/, '');
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${millis ? `${seconds}S` : ''}`;
  return `${ms < 0 ? '-' : ''}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
