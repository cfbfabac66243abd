import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_LOCALE, LOCALES, matchLocale, type Locale } from '../../contracts/locales';
import { derivedKey } from '../auth/keyed-hash';

/** What a link in a mail opens: a task's outcome, or a customer's survey, ticket or order page. */
export const LINK_KINDS = ['task-action', 'survey', 'ticket', 'order'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** The languages a link's page speaks: the product's. */
export const LINK_LOCALES = LOCALES;
export type LinkLocale = Locale;

/** The signed content of a link: who it is for, what it opens, until when; `id` makes each link unique. */
export interface SignedLink {
  kind: LinkKind;
  /** The task id, survey invitation id, ticket id or order id. */
  subject: string;
  /** The outcome of a task-action link; null for customer pages. */
  action: string | null;
  /** The user id of a task mail's recipient; the contact or customer id of a customer's mail. */
  recipient: string;
  locale: LinkLocale;
  expiresAt: Date;
  id: string;
}

export type LinkReading =
  | { ok: true; link: SignedLink }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; link: SignedLink };

/** The wire form: short keys, because the token is part of a URL a person may have to copy. */
interface WirePayload {
  k: LinkKind;
  s: string;
  a?: string;
  r: string;
  l: LinkLocale;
  /** Expiry, seconds since the epoch. */
  e: number;
  j: string;
}

const MAX_TOKEN_LENGTH = 2048;

function signature(secret: string, payload: string): Buffer {
  return createHmac('sha256', derivedKey(secret, 'signed-link')).update(payload, 'ascii').digest();
}

/** A fresh link id: 128 random bits, so ids never repeat and cannot be guessed. */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * `<payload>.<signature>`, both base64url: the payload is JSON, the signature HMAC-SHA256 with a key
 * derived from the server secret for links only, so a link never verifies as any other token.
 */
export function signLink(secret: string, link: Omit<SignedLink, 'id'> & { id?: string }): string {
  const wire: WirePayload = {
    k: link.kind,
    s: link.subject,
    ...(link.action === null ? {} : { a: link.action }),
    r: link.recipient,
    l: link.locale,
    e: Math.floor(link.expiresAt.getTime() / 1000),
    j: link.id ?? newLinkId(),
  };
  const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${payload}.${signature(secret, payload).toString('base64url')}`;
}

/**
 * The link a token carries if the server signed it; `expired` (with the link, so the page can say
 * what it was for) once its time is over. Anything else, forged or mangled, is `invalid`.
 */
export function readLink(secret: string, token: string, now: Date = new Date()): LinkReading {
  const invalid = { ok: false, reason: 'invalid' } as const;
  if (token.length > MAX_TOKEN_LENGTH) return invalid;
  const [payload, mac, ...rest] = token.split('.');
  if (!payload || !mac || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload + mac)) return invalid;
  const expected = signature(secret, payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  const link = fromWire(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!link) return invalid;
  return link.expiresAt.getTime() <= now.getTime() ? { ok: false, reason: 'expired', link } : { ok: true, link };
}

/** Signed by us, so well-formed unless the format changed: checked anyway rather than trusted. */
function fromWire(json: string): SignedLink | null {
  let wire: Partial<WirePayload>;
  try {
    wire = JSON.parse(json) as Partial<WirePayload>;
  } catch {
    return null;
  }
  const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  if (
    !(LINK_KINDS as readonly unknown[]).includes(wire.k) ||
    !(LINK_LOCALES as readonly unknown[]).includes(wire.l) ||
    !text(wire.s) ||
    !text(wire.r) ||
    !text(wire.j) ||
    (wire.a !== undefined && !text(wire.a)) ||
    typeof wire.e !== 'number' ||
    !Number.isFinite(wire.e)
  ) {
    return null;
  }
  return {
    kind: wire.k as LinkKind,
    subject: wire.s,
    action: wire.a ?? null,
    recipient: wire.r,
    locale: wire.l as LinkLocale,
    expiresAt: new Date(wire.e * 1000),
    id: wire.j,
  };
}

/** The locale of a link for a stored preference or a BCP 47 tag (`zh-TW` → zh-CN); en when none matches. */
export function linkLocaleOf(tag: string | null | undefined): LinkLocale {
  return matchLocale(tag) ?? DEFAULT_LOCALE;
}
