import { parse as parseIso, pattern as isoPattern } from 'iso8601-duration';
import type { DiagnosticCode } from './diagnostics';

/** A duration turned into milliseconds, or why it cannot be. */
export type DurationResult = { ok: true; ms: number } | { ok: false; code: DiagnosticCode; message: string };

const WHOLE = new RegExp(`^${isoPattern.source}$`);
const SECOND = 1000;
const UNIT_MS = { weeks: 7 * 86_400 * SECOND, days: 86_400 * SECOND, hours: 3_600 * SECOND, minutes: 60 * SECOND, seconds: SECOND } as const;

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
    return { ok: false, code: 'duration.invalid', message: `'${text}' is not a duration (${(error as Error).message}): ${example}` };
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
  if (negative && ms > 0) return { ok: false, code: 'duration.negative', message: `'${text}' is negative; durations count forward from now` };
  if (ms === 0) return { ok: false, code: 'duration.zero', message: `'${text}' is zero; give a duration longer than zero` };
  return { ok: true, ms };
}
