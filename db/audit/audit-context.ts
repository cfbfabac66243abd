import { AsyncLocalStorage } from 'node:async_hooks';

/** Who a change is recorded against, and where it came from. */
export interface AuditActor {
  /** `user:<id>` (a person), `key:<id>` (a system's API key), `process:<workflowId>`, `system` or `anonymous`. */
  actor: string;
  /** The person the actor works for: a key's user, a process's starter, a person themselves. */
  onBehalfOf: string | null;
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
}

/**
 * Asked when a change is written, not when the context opens: an API request's principal is
 * known only after authentication, which runs after the context is opened.
 */
export type AuditActorSource = () => AuditActor | Promise<AuditActor>;

/** Changes made outside any request or activity: start-up seeding, scripts, tests. */
export const SYSTEM_ACTOR: AuditActor = {
  actor: 'system',
  onBehalfOf: null,
  ip: null,
  requestId: null,
  userAgent: null,
};

const storage = new AsyncLocalStorage<AuditActorSource>();

/** Runs `work` with every change it writes recorded against the actor `source` names. */
export function runAsAuditActor<T>(source: AuditActorSource, work: () => T): T {
  return storage.run(source, work);
}

/** The actor of the code running now; SYSTEM_ACTOR outside any context. */
export async function currentAuditActor(): Promise<AuditActor> {
  const source = storage.getStore();
  return source ? source() : SYSTEM_ACTOR;
}
