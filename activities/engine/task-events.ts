import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { TaskEvent } from '../../db/entities';

export interface NewTaskEvent {
  taskId: string;
  eventKey: string;
  type: string;
  actor: string | null;
  at: Date;
  detail: Record<string, Json>;
}

/** The event already recorded under this key, read past the identity map (another attempt may have written it). */
export async function findTaskEvent(em: EntityManager, taskId: string, eventKey: string): Promise<TaskEvent | null> {
  return em.findOne(TaskEvent, { taskId, eventKey }, { refresh: true });
}

/** Inserts the event unless one with its key exists; true when this call inserted it. */
export async function recordTaskEvent(em: EntityManager, event: NewTaskEvent): Promise<boolean> {
  const inserted = await em.execute<{ id: string }[]>(
    `insert into task_event (task_id, event_key, type, actor, at, detail) values (?, ?, ?, ?, ?, ?::jsonb)
     on conflict (task_id, event_key) do nothing returning id`,
    [event.taskId, event.eventKey, event.type, event.actor, event.at.toISOString(), JSON.stringify(event.detail)],
  );
  return inserted.length === 1;
}

/** The addresses an event decided to mail, so a retry mails the same people even if the task changed since. */
export function recipientsOf(event: TaskEvent): string[] {
  const recipients = event.detail?.recipients;
  return Array.isArray(recipients) ? recipients.filter((r): r is string => typeof r === 'string') : [];
}
