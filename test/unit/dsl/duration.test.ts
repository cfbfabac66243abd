import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../../dsl/duration';

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
