import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration } from '../../../dsl/duration';

describe('parseDuration', () => {
  it.each([
    ['PT4H', 14_400_000],
    ['P2D', 172_800_000],
    ['P1W', 604_800_000],
    ['PT1.5H', 5_400_000],
    ['P1DT30M', 88_200_000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['4h', 'duration.invalid'],
    ['P', 'duration.invalid'],
    ['PT', 'duration.invalid'],
    ['P1DT', 'duration.invalid'],
    ['P1M', 'duration.invalid'],
    ['P1Y', 'duration.invalid'],
    ['-PT4H', 'duration.negative'],
    ['PT0S', 'duration.zero'],
    ['P0D', 'duration.zero'],
  ])('%s is refused with %s', (text, code) => {
    expect(parseDuration(text)).toMatchObject({ ok: false, code });
  });
});

describe('formatDuration', () => {
  it.each([
    [7_200_000, 'PT2H'],
    [86_400_000, 'P1D'],
    [5_400_000, 'PT1H30M'],
    [604_800_000, 'P7D'],
    [93_784_500, 'P1DT2H3M4.5S'],
    [90_000_000, 'P1DT1H'],
    [60_000, 'PT1M'],
    [1, 'PT0.001S'],
    [250, 'PT0.25S'],
    [0, 'PT0S'],
    [-14_400_000, '-PT4H'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([1, 999, 1_000, 59_999, 3_599_999, 5_400_000, 86_399_999, 93_784_500, 604_800_000, 31_536_000_123])(
    '%d ms round-trips through parseDuration',
    (ms) => {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
    },
  );

  it.each(['PT4H', 'P2D', 'PT1H30M', 'P1DT12H', 'PT0.5S'])('%s is already canonical', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok && formatDuration(parsed.ms)).toBe(text);
  });

  it('refuses what is not a number of milliseconds', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
