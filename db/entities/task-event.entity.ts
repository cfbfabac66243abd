import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';

/**
 * What happened to a task and who did it. `(taskId, eventKey)` is unique: the workflow names
 * each change (e.g. `remind-2`), so a retried activity finds its event instead of adding one.
 */
export const TaskEventSchema = defineEntity({
  name: 'TaskEvent',
  tableName: 'task_event',
  properties: {
    /** Recording order. */
    id: p.bigint('number').primary(),
    taskId: p.text(),
    eventKey: p.text(),
    type: p.text(),
    actor: p.text().nullable(),
    at: p.datetime(),
    detail: p.json<Record<string, Json>>().nullable(),
  },
  uniques: [{ properties: ['taskId', 'eventKey'] }],
});

export class TaskEvent extends TaskEventSchema.class {}
TaskEventSchema.setClass(TaskEvent);
