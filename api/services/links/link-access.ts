import type { EntityManager } from '@mikro-orm/postgresql';
import { FAILURES, type FailureCode } from '../../../contracts/failures';
import { readLink, SignedLinkUseRepository, type LinkKind, type SignedLink } from '../../../db/links';
import type { EngineContext } from '../../engine-deps';
import { ProblemError } from '../../problem-error';

const uses = new SignedLinkUseRepository();

/** A refusal of a link, answered by the failure table, with extension members for the page. */
export function linkFailure(code: FailureCode, detail: string, extensions: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ ...FAILURES[code], detail, extensions: { code, ...extensions } });
}

/** The one answer for a link that is not ours, whatever is wrong with it: guessing learns nothing. */
export const linkNotFound = () => linkFailure('link.not-found', 'This link is not valid.');

/**
 * The link a token carries: 404 `link-not-found` when the server did not sign it, 410
 * `link-expired` once its time is over (with its kind, so the page can say what it was for).
 */
export function openLink(ctx: EngineContext, token: string): SignedLink {
  const reading = readLink(ctx.auth.secret, token);
  if (reading.ok) return reading.link;
  if (reading.reason === 'expired') {
    throw linkFailure('link.expired', `This link expired at ${reading.link.expiresAt.toISOString()}.`, {
      kind: reading.link.kind,
      locale: reading.link.locale,
      expiresAt: reading.link.expiresAt.toISOString(),
    });
  }
  throw linkNotFound();
}

/** A link of another kind is not found either: each page reads only its own kind. */
export function requireKind(link: SignedLink, kind: LinkKind): void {
  if (link.kind !== kind) throw linkNotFound();
}

export async function isLinkUsed(ctx: EngineContext, link: SignedLink): Promise<boolean> {
  return (await uses.findUse(ctx.orm.em.fork(), link.id)) !== null;
}

/** 410 `link-used` up front, before anything is attempted: the cheap answer for the common case. */
export async function refuseUsedLink(ctx: EngineContext, link: SignedLink): Promise<void> {
  const use = await uses.findUse(ctx.orm.em.fork(), link.id);
  if (use) throw usedFailure(use.usedAt);
}

/**
 * Marks the link used in the transaction of what it does; a concurrent use of the same link waits
 * for this transaction and then gets 410 `link-used`.
 */
export async function useLink(em: EntityManager, link: SignedLink): Promise<void> {
  if (!(await uses.markUsed(em, link))) throw usedFailure(null);
}

function usedFailure(usedAt: Date | null): ProblemError {
  return linkFailure('link.used', 'This link has been used already; each link works once.', {
    usedAt: usedAt?.toISOString() ?? null,
  });
}
