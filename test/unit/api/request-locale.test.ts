import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { requestLocale } from '../../../api/request-locale';

const requestWith = (acceptLanguage: string | undefined, savedLocale?: unknown) =>
  ({
    headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage },
    principal: savedLocale === undefined ? null : { attributes: { locale: savedLocale } },
  }) as unknown as FastifyRequest;

describe('requestLocale', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR, zh-TW;q=0.5', 'zh-CN'],
    ['en;q=0.2, zh;q=0.8', 'zh-CN'],
    ['zh;q=0, en', 'en'],
  ])('Accept-Language %s → %s', (header, expected) => {
    expect(requestLocale(requestWith(header, 'en'))).toBe(expected);
  });

  it("falls back to the caller's saved locale when the header names none of ours", () => {
    expect(requestLocale(requestWith('fr, *;q=0.1', 'zh-CN'))).toBe('zh-CN');
    expect(requestLocale(requestWith(undefined, 'zh-CN'))).toBe('zh-CN');
  });

  it('falls back to en without header and saved locale', () => {
    expect(requestLocale(requestWith(undefined))).toBe('en');
    expect(requestLocale(requestWith('fr', 42))).toBe('en');
  });
});
