import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SavedView } from '../entities';

/** A saved view with its owner's name, as the inbox lists it. */
export interface SavedViewRecord {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  ownerId: string;
  ownerName: string | null;
  createdAt: string;
}

export interface NewSavedView {
  ownerId: string;
  name: string;
  query: string;
  shared: boolean;
}

/** How many views one person may keep. */
export const MAX_SAVED_VIEWS_PER_USER = 50;
/** How many shared views of others a list shows (the newest). */
const MAX_SHARED_LISTED = 200;

/** Saved inbox views: the only reader and writer of task_view. */
export class SavedViewRepository {
  /**
   * One's own views and the views others shared, by name. Raw SQL: the owner's name comes from
   * engine_user in the same statement.
   */
  async listVisibleTo(em: EntityManager, userId: string): Promise<SavedViewRecord[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `(select saved.*, person.name as owner_name from task_view saved left join engine_user person on person.id = saved.owner_id
         where saved.owner_id = ?)
       union all
       (select saved.*, person.name as owner_name from task_view saved left join engine_user person on person.id = saved.owner_id
         where saved.shared and saved.owner_id <> ? order by saved.created_at desc limit ?)
       order by name, id`,
      [userId, userId, MAX_SHARED_LISTED],
    );
    return rows.map(recordOf);
  }

  /** The view if the user may open it: their own, or a shared one. */
  async findVisible(em: EntityManager, id: string, userId: string): Promise<SavedViewRecord | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select saved.*, person.name as owner_name from task_view saved left join engine_user person on person.id = saved.owner_id
        where saved.id = ? and (saved.owner_id = ? or saved.shared)`,
      [id, userId],
    );
    return row ? recordOf(row) : null;
  }

  /** Saves the view; null when the owner already has {@link MAX_SAVED_VIEWS_PER_USER}. */
  async create(em: EntityManager, input: NewSavedView): Promise<SavedViewRecord | null> {
    return em.transactional(async (tx) => {
      // Two saves at once must not both pass the count: they take turns per owner for this transaction.
      await tx.execute(`select pg_advisory_xact_lock(hashtext('task_view:' || ?))`, [input.ownerId]);
      if ((await tx.count(SavedView, { ownerId: input.ownerId })) >= MAX_SAVED_VIEWS_PER_USER) return null;
      const view = tx.create(SavedView, { id: randomUUID(), ...input });
      await tx.flush();
      const [owner] = await tx.execute<{ name: string }[]>('select name from engine_user where id = ?', [
        input.ownerId,
      ]);
      return {
        id: view.id,
        name: view.name,
        query: view.query,
        shared: view.shared,
        ownerId: view.ownerId,
        ownerName: owner?.name ?? null,
        createdAt: view.createdAt.toISOString(),
      };
    });
  }

  /** Deletes the owner's view; false when they have none with this id. */
  async deleteOwn(em: EntityManager, id: string, ownerId: string): Promise<boolean> {
    const view = await em.findOne(SavedView, { id, ownerId });
    if (!view) return false;
    await em.remove(view).flush();
    return true;
  }
}

function recordOf(row: Record<string, unknown>): SavedViewRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    query: String(row.query),
    shared: row.shared === true,
    ownerId: String(row.owner_id),
    ownerName: typeof row.owner_name === 'string' ? row.owner_name : null,
    createdAt: new Date(row.created_at as string | Date).toISOString(),
  };
}
