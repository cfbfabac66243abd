import { describe, expect, it } from '@jest/globals';
import { LOCALES, isLocale, matchLocale } from '../../../contracts/locales';

describe('matchLocale', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['fr', null],
  ])('%s → %s', (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected);
  });

  it('chooses only among the offered locales', () => {
    expect(matchLocale('zh', ['en'])).toBeNull();
  });

  it('knows exactly en and zh-CN', () => {
    expect([...LOCALES]).toEqual(['en', 'zh-CN']);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('zh')).toBe(false);
  });
});
