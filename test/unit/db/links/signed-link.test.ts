import { describe, expect, it } from '@jest/globals';
import { linkLocaleOf, readLink, signLink, type SignedLink } from '../../../../db/links';

const SECRET = 's'.repeat(40);
const NOW = new Date('2026-12-01T10:00:00Z');
const link: Omit<SignedLink, 'id'> = {
  kind: 'task-action',
  subject: 'wf-1/approve-7',
  action: 'approve',
  recipient: 'u-manager',
  locale: 'zh-CN',
  expiresAt: new Date('2026-12-08T10:00:00Z'),
};

describe('signed links', () => {
  it('reads back what was signed, with a fresh id per link', () => {
    const token = signLink(SECRET, link);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const reading = readLink(SECRET, token, NOW);
    expect(reading).toEqual({ ok: true, link: { ...link, id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) } });
    const other = readLink(SECRET, signLink(SECRET, link), NOW);
    expect(other.ok && reading.ok && other.link.id !== reading.link.id).toBe(true);
  });

  it('keeps a customer link without an action', () => {
    const token = signLink(SECRET, { ...link, kind: 'order', subject: 'O-1', action: null, recipient: 'C-1' });
    expect(readLink(SECRET, token, NOW)).toMatchObject({ ok: true, link: { kind: 'order', action: null } });
  });

  it('is expired from its expiry on, and still says what it was for', () => {
    const token = signLink(SECRET, link);
    expect(readLink(SECRET, token, new Date('2026-12-08T09:59:59Z')).ok).toBe(true);
    expect(readLink(SECRET, token, link.expiresAt)).toMatchObject({
      ok: false,
      reason: 'expired',
      link: { subject: link.subject },
    });
  });

  it('refuses a token signed with another secret, a changed payload and garbage alike', () => {
    const token = signLink(SECRET, link);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('"a":"approve"', '"a":"reject"'),
    ).toString('base64url');
    const invalid = { ok: false, reason: 'invalid' };
    expect(readLink('t'.repeat(40), token, NOW)).toEqual(invalid);
    expect(readLink(SECRET, `${forged}.${mac}`, NOW)).toEqual(invalid);
    expect(readLink(SECRET, `${payload}.${mac.slice(0, -2)}`, NOW)).toEqual(invalid);
    for (const junk of ['', '.', 'abc', `${token}.x`, `${payload}.${mac}=`, 'a'.repeat(5000)])
      expect(readLink(SECRET, junk, NOW)).toEqual(invalid);
  });

  it('refuses a signed payload of the wrong shape', () => {
    // Forged with the right key: what a format change would look like to an old server.
    const token = signLink(SECRET, { ...link, kind: 'bogus' as SignedLink['kind'] });
    expect(readLink(SECRET, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('maps stored locales and language tags to the link locales', () => {
    expect([
      linkLocaleOf('zh'),
      linkLocaleOf('zh_TW'),
      linkLocaleOf('en-GB'),
      linkLocaleOf(null),
      linkLocaleOf('de'),
    ]).toEqual(['zh-CN', 'zh-CN', 'en', 'en', 'en']);
  });
});
