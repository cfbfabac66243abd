import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyKey } from '../entities';

export interface StoredStart {
  requestHash: string;
  instanceId: string;
}

/** `Idempotency-Key`s of API starts, per caller (the shape `api/services/process-starter.ts` asks for). */
export class IdempotencyKeyRepository {
  async find(em: EntityManager, caller: string, key: string): Promise<StoredStart | null> {
    const row = await em.findOne(IdempotencyKey, { caller, key });
    return row ? { requestHash: row.requestHash, instanceId: row.instanceId } : null;
  }

  /** Stores the key; false when another request stored it first (then `find` returns the winner). */
  async insert(
    em: EntityManager,
    caller: string,
    key: string,
    requestHash: string,
    instanceId: string,
  ): Promise<boolean> {
    const inserted = await em.execute<{ caller: string }[]>(
      `insert into idempotency_key (caller, key, request_hash, instance_id, created_at) values (?, ?, ?, ?, now())
       on conflict (caller, key) do nothing returning caller`,
      [caller, key, requestHash, instanceId],
    );
    return inserted.length === 1;
  }

  /**
   * Marks the key's instance as started and says whether this call did it: of requests racing
   * with one key, exactly one claims it (and answers 201), whichever of them reached Temporal.
   */
  async claimStart(em: EntityManager, caller: string, key: string): Promise<boolean> {
    const claimed = await em.execute<{ caller: string }[]>(
      `update idempotency_key set started_at = now() where caller = ? and key = ? and started_at is null returning caller`,
      [caller, key],
    );
    return claimed.length === 1;
  }
}
