import { signLink, type LinkKind, type LinkLocale } from '../../db/links';
import type { ActivityDeps } from '../deps';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A task's action links outlive its due date, and last a week at least: a mail is often read late. */
export const TASK_ACTION_MIN_MS = 7 * DAY_MS;

/** What a minted link opens and for whom. */
export interface LinkRequest {
  kind: LinkKind;
  subject: string;
  action?: string | null;
  recipient: string;
  locale: LinkLocale;
  expiresAt: Date;
}

/** A page of the web app as a mail links it: under the deployment's PUBLIC_URL. */
export function publicPageUrl(deps: Pick<ActivityDeps, 'publicUrl'>, path: string): string {
  return `${(deps.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}${path}`;
}

/**
 * A signed link (`<PUBLIC_URL>/l/<token>`, the web app's page for it), or null when this worker
 * has no secret to sign with.
 */
export function mintLink(deps: Pick<ActivityDeps, 'linkSecret' | 'publicUrl'>, request: LinkRequest): string | null {
  if (deps.linkSecret === undefined) return null;
  return publicPageUrl(deps, `/l/${signLink(deps.linkSecret, { ...request, action: request.action ?? null })}`);
}

/** Until when a task's action links work: its due date or a week from now, whichever is later. */
export function taskActionExpiry(dueAt: Date | null | undefined, now: Date): Date {
  const week = now.getTime() + TASK_ACTION_MIN_MS;
  return new Date(Math.max(week, dueAt?.getTime() ?? 0));
}
