import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyKey } from '../entities';

export interface StoredStart {
  requestHash: string;
  instanceId: string;
}

export interface StoredCreate {
  requestHash: string;
  resourceId: string;
}

/** The scope of instance starts' keys (`POST /instances`). */
const INSTANCES = 'instances';

/**
 * `Idempotency-Key`s of create requests, per caller and scope: instance starts (the shape
 * `api/services/process-starter.ts` asks for) and record creates (`api/services/idempotent-create.ts`).
 */
export class IdempotencyKeyRepository {
  async find(em: EntityManager, caller: string, key: string): Promise<StoredStart | null> {
    const row = await em.findOne(IdempotencyKey, { caller, scope: INSTANCES, key });
    return row?.resourceId ? { requestHash: row.requestHash, instanceId: row.resourceId } : null;
  }

  /** Stores the key; false when another request stored it first (then `find` returns the winner). */
  async insert(
    em: EntityManager,
    caller: string,
    key: string,
    requestHash: string,
    instanceId: string,
  ): Promise<boolean> {
    return this.reserve(em, caller, INSTANCES, key, requestHash, instanceId);
  }

  /**
   * Marks the key's instance as started and says whether this call did it: of requests racing
   * with one key, exactly one claims it (and answers 201), whichever of them reached Temporal.
   */
  async claimStart(em: EntityManager, caller: string, key: string): Promise<boolean> {
    const claimed = await em.execute<{ caller: string }[]>(
      `update idempotency_key set started_at = now() where caller = ? and scope = ? and key = ? and started_at is null returning caller`,
      [caller, INSTANCES, key],
    );
    return claimed.length === 1;
  }

  /** A committed create of this caller with this key; null when there is none (yet). */
  async findCreate(em: EntityManager, caller: string, scope: string, key: string): Promise<StoredCreate | null> {
    const row = await em.findOne(IdempotencyKey, { caller, scope, key });
    return row?.resourceId ? { requestHash: row.requestHash, resourceId: row.resourceId } : null;
  }

  /**
   * Takes the key for a create, in the create's transaction. While another transaction holds
   * the key uncommitted this waits for it: false once that one committed (its record is the
   * answer), true when it rolled back or there was none.
   */
  async reserveCreate(
    em: EntityManager,
    caller: string,
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<boolean> {
    return this.reserve(em, caller, scope, key, requestHash, null);
  }

  /** Names the record a reserved key created, in the same transaction. */
  async bindCreate(em: EntityManager, caller: string, scope: string, key: string, resourceId: string): Promise<void> {
    await em.execute(
      `update idempotency_key set resource_id = ?, started_at = now() where caller = ? and scope = ? and key = ?`,
      [resourceId, caller, scope, key],
    );
  }

  private async reserve(
    em: EntityManager,
    caller: string,
    scope: string,
    key: string,
    requestHash: string,
    resourceId: string | null,
  ): Promise<boolean> {
    const inserted = await em.execute<{ caller: string }[]>(
      `insert into idempotency_key (caller, scope, key, request_hash, resource_id, created_at) values (?, ?, ?, ?, ?, now())
       on conflict (caller, scope, key) do nothing returning caller`,
      [caller, scope, key, requestHash, resourceId],
    );
    return inserted.length === 1;
  }
}
