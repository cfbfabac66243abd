import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { EngineUser } from '../entities';

/** API keys are stored as their sha256 (hex): a leaked table does not leak keys. */
export function hashApiKey(plainKey: string): string {
  return createHash('sha256').update(plainKey, 'utf8').digest('hex');
}

/** Engine users: authentication by API key and candidate lookups for task routing and mail. */
export class UserRepository {
  /** The active user holding this API key, or null. */
  async findByApiKey(em: EntityManager, plainKey: string): Promise<EngineUser | null> {
    if (!plainKey) return null;
    return em.findOne(EngineUser, { apiKeyHash: hashApiKey(plainKey), active: true });
  }

  async get(em: EntityManager, id: string): Promise<EngineUser | null> {
    return em.findOne(EngineUser, { id });
  }

  /** The users with these ids that exist (any order; unknown ids are left out). */
  async findByIds(em: EntityManager, ids: readonly string[]): Promise<EngineUser[]> {
    if (ids.length === 0) return [];
    return em.find(EngineUser, { id: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
  }

  /**
   * Active users holding `role` whose attributes satisfy `where` (see `engine_attributes_match`:
   * a scalar condition equals the attribute or is one of its values; an array condition is any of).
   */
  async listByRole(em: EntityManager, role: string, where: Record<string, Json> = {}): Promise<EngineUser[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from engine_user
        where active and roles @> array[?]::text[] and engine_attributes_match(attributes, ?::jsonb)
        order by id`,
      [role, JSON.stringify(where)],
    );
    return rows.map((row) => em.map(EngineUser, row));
  }

  /** Every role some user holds: the roles templates may name (the linter checks them). */
  async listRoles(em: EntityManager): Promise<string[]> {
    const rows = await em.execute<{ role: string }[]>('select distinct unnest(roles) as role from engine_user order by role');
    return rows.map((row) => row.role);
  }
}
