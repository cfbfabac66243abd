import type { CredentialChange } from '../../db/auth/credential-changes';
import type { TeamMemo } from '../../db/users/user.repository';
import type { Principal } from '../principal';

/** Where a cached principal came from: what a change must name to forget it. */
export interface PrincipalSource {
  userId: string;
  keyId?: string;
  sessionId?: string;
  /** When the credential itself ends (the key's or session's expires_at); null: never. */
  expiresAt: Date | null;
}

export interface PrincipalCacheOptions {
  /** How long an entry is trusted at most, even if no change is heard. Default 60 s. */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  principal: Principal;
  source: PrincipalSource;
  validUntil: number;
}

interface TeamEntry {
  ids: readonly string[];
  validUntil: number;
}

/**
 * Principals of recently seen credentials, so that a request does not read its API key or
 * session and user from the database every time (one round trip of the two a list page takes).
 *
 * Trusted only while changes are heard (db/auth/credential-changes.ts): until the listener
 * reports that it listens, and from any loss of its connection until it listens again, nothing
 * is kept and every request reads the database. A change forgets the entries of that user, key
 * or session; an entry also ends with its credential's expiry and after `ttlMs`.
 *
 * A read that started before a change must not store what it read (it may be the state before
 * the change): `epoch` counts changes, and `set` refuses an entry read under an older epoch.
 * Only principals are kept, never refusals: unknown secrets cannot fill it.
 *
 * It also keeps the teams managers lead (`team`, for UserRepository.listTeamIds): a manager's
 * list page (and the inbox's queues they oversee) would otherwise read its team on every request,
 * a second round trip. A team is made of other users' rows (their manager, their region), so any
 * change of any user, a new one included, forgets every team.
 */
export class PrincipalCache implements TeamMemo {
  private readonly entries = new Map<string, Entry>();
  private readonly teams = new Map<string, TeamEntry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private listening = false;
  private changes = 0;

  constructor(options: PrincipalCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Changes seen so far: taken before a database read, handed back to `set`. */
  get epoch(): number {
    return this.changes;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Principal | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.validUntil <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /**
   * The principal kept for `key`, else what `read` loads from the database (kept, unless a change
   * was heard while it read); null when `read` finds no usable credential (never kept).
   */
  async through(
    key: string,
    read: () => Promise<{ principal: Principal; source: PrincipalSource } | null>,
  ): Promise<Principal | null> {
    const kept = this.get(key);
    if (kept) return kept;
    const epoch = this.epoch;
    const loaded = await read();
    if (!loaded) return null;
    this.set(key, loaded.principal, loaded.source, epoch);
    return loaded.principal;
  }

  /** Keeps `principal` for `key` unless a change was seen since `epoch`, or changes are not heard. */
  set(key: string, principal: Principal, source: PrincipalSource, epoch: number): void {
    if (!this.listening || epoch !== this.changes) return;
    const validUntil = Math.min(this.now() + this.ttlMs, source.expiresAt?.getTime() ?? Infinity);
    if (validUntil <= this.now()) return;
    this.keep(this.entries, key, { principal: deepFreeze(principal), source, validUntil });
  }

  /**
   * The team kept for (`managerId`, `region`), else what `read` loads (kept, unless a change was
   * heard while it read). Each caller gets its own array.
   */
  async team(managerId: string, region: string | null, read: () => Promise<string[]>): Promise<string[]> {
    const key = JSON.stringify([managerId, region]);
    if (this.listening) {
      const kept = this.teams.get(key);
      if (kept && kept.validUntil > this.now()) return [...kept.ids];
      if (kept) this.teams.delete(key);
    }
    const epoch = this.changes;
    const ids = await read();
    if (this.listening && epoch === this.changes) {
      this.keep(this.teams, key, { ids: Object.freeze([...ids]), validUntil: this.now() + this.ttlMs });
    }
    return ids;
  }

  /** Stores `value` as the newest entry of `map`, the oldest going first beyond `maxEntries`. */
  private keep<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    if (map.size >= this.maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(key, value);
  }

  /** Forgets what `change` concerns. */
  apply(change: CredentialChange): void {
    this.changes++;
    if (change.kind === 'user' || change.kind === 'all') this.teams.clear();
    if (change.kind === 'all') {
      this.entries.clear();
      return;
    }
    for (const [key, { source }] of this.entries) {
      const concerned =
        change.kind === 'user'
          ? source.userId === change.id
          : change.kind === 'key'
            ? source.keyId === change.id
            : source.sessionId === change.id;
      if (concerned) this.entries.delete(key);
    }
  }

  /** Whether changes are heard: while they are not, nothing is kept or served. */
  setListening(listening: boolean): void {
    this.changes++;
    this.entries.clear();
    this.teams.clear();
    this.listening = listening;
  }
}

/** One principal serves many requests from here: none of them may change it for the others. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
