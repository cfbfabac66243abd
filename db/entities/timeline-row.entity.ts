import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TimelineEntry as TimelineMessage } from '../../contracts/engine';

/** One line of an instance's history, numbered by the workflow; `(instanceId, seq)` makes appends idempotent. */
export const TimelineRowSchema = defineEntity({
  name: 'TimelineRow',
  tableName: 'timeline_entry',
  properties: {
    instanceId: p.text().primary(),
    seq: p.integer().primary(),
    at: p.datetime(),
    type: p.text().$type<TimelineMessage['type']>(),
    stepId: p.text().nullable(),
    path: p.text().nullable(),
    detail: p.json<Json>().nullable(),
  },
});

export class TimelineRow extends TimelineRowSchema.class {}
TimelineRowSchema.setClass(TimelineRow);
