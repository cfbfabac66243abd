import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Changes of what a principal is made of (a user, an API key, a session), as they reach the
 * processes that keep principals in memory (api/services/principal-cache.ts).
 *
 * Two paths, because each alone leaves a gap:
 * - PostgreSQL: triggers on engine_user, api_key and auth_session notify the `engine_credentials`
 *   channel when a change commits, whoever made it (migration 20261233). Every API process
 *   listens; the notification arrives a moment after the commit.
 * - This process: the repositories that change those rows say so at once (credentialChanged), so
 *   that a request which follows a revocation made by the same process (the API's own DELETE) is
 *   never served from memory in that moment.
 */
export const CREDENTIAL_CHANNEL = 'engine_credentials';

/** What changed: one user's, key's or session's row, or anything (unknown or lost notifications). */
export type CredentialChange = { kind: 'user' | 'key' | 'session'; id: string } | { kind: 'all' };

/** A notification's payload (`<kind>:<id>`, as the trigger writes it); anything else means "anything may have changed". */
export function parseCredentialChange(payload: string | undefined): CredentialChange {
  const match = /^(user|key|session):(.+)$/s.exec(payload ?? '');
  return match ? { kind: match[1] as 'user' | 'key' | 'session', id: match[2]! } : { kind: 'all' };
}

const local = new EventEmitter();
// Each app in a process (tests build many) subscribes once; no listener is ever leaked by a request.
local.setMaxListeners(0);

/** Called by the repositories after they change a credential's row: tells this process's caches now. */
export function credentialChanged(change: CredentialChange): void {
  local.emit('change', change);
}

/** Subscribes to changes made by this process; returns the unsubscribe. */
export function onLocalCredentialChange(listener: (change: CredentialChange) => void): () => void {
  local.on('change', listener);
  return () => local.off('change', listener);
}

export interface CredentialChangeEvents {
  /** A change committed somewhere (this process included). */
  change(change: CredentialChange): void;
  /**
   * Whether changes are being heard. While false, nothing can be kept in memory: a change made
   * meanwhile would go unnoticed. Reported false on every loss of the connection, true once
   * LISTEN is in place again.
   */
  listening(listening: boolean): void;
}

export interface CredentialChangeListenerOptions {
  /** The database, as the ORM connects to it (any role may LISTEN). */
  databaseUrl: string;
  /** How long a connection attempt may take. Default 10 s. */
  connectTimeoutMs?: number;
  /** First and longest wait before connecting again after a loss. Defaults 250 ms and 10 s. */
  retryMs?: { first: number; max: number };
  /** Connection trouble, for the log; the listener retries by itself. */
  onError?: (error: Error) => void;
}

/**
 * One dedicated connection LISTENing on CREDENTIAL_CHANNEL, reconnecting with back-off when it is
 * lost. A pooled connection cannot listen: the pool hands it to other queries and may close it.
 */
export class CredentialChangeListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs: number;

  constructor(
    private readonly options: CredentialChangeListenerOptions,
    private readonly events: CredentialChangeEvents,
  ) {
    this.retryMs = options.retryMs?.first ?? 250;
  }

  /** Connects in the background; `listening(true)` reports when changes are heard. */
  start(): void {
    void this.connect();
  }

  /**
   * Resolves once every change committed before the call has been delivered: a round trip on the
   * listening connection (PostgreSQL delivers pending notifications before it answers). Resolves
   * at once when not listening (nothing is kept in memory then).
   */
  async settle(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.query('select 1');
    } catch {
      // A lost connection reports listening(false) itself.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      // Which process listens, for pg_stat_activity.
      application_name: `credential-changes ${process.pid}`,
      // A connection that dies without a word (a network drop) is noticed by TCP keepalive; the
      // cache's TTL bounds what is served until then.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let lost = false;
    const onLoss = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) this.options.onError?.(error);
      if (this.client === client) this.client = null;
      this.events.listening(false);
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      this.scheduleRetry();
    };
    client.on('error', onLoss);
    client.on('end', () => onLoss());
    client.on('notification', (message) => {
      if (message.channel === CREDENTIAL_CHANNEL) this.events.change(parseCredentialChange(message.payload));
    });
    try {
      await client.connect();
      await client.query(`listen ${CREDENTIAL_CHANNEL}`);
    } catch (error) {
      onLoss(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    // Like a timer that must not hold the process open: an app that is never closed (a script,
    // a test) can still exit; a server is kept alive by its listening socket anyway.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    this.client = client;
    this.retryMs = this.options.retryMs?.first ?? 250;
    this.events.listening(true);
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.retryMs?.max ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, wait);
    this.retryTimer.unref();
  }
}
