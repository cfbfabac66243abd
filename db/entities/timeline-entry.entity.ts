import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import type { TimelineEntry as TimelineMessage } from '../../workflows/messages';

/** One line of an instance's history, numbered by the workflow; `(instanceId, seq)` makes appends idempotent. */
export const TimelineEntrySchema = defineEntity({
  name: 'TimelineEntry',
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

export class TimelineEntry extends TimelineEntrySchema.class {}
TimelineEntrySchema.setClass(TimelineEntry);
