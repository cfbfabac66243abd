import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';

/** A business event waiting for (or done with) starting the templates bound to it; see the migration. */
export const RaisedEventSchema = defineEntity({
  name: 'RaisedEvent',
  tableName: 'process_event',
  properties: {
    id: p.text().primary(),
    event: p.text(),
    /** With `event`, unique: raising the same event about the same thing twice is one event. */
    dedupeKey: p.text(),
    payload: p.json<Record<string, Json>>(),
    raisedBy: p.text(),
    /** The task queue its instances run on: the raiser's (null: the dispatcher's own). */
    taskQueue: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    dispatchedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    /** Until when a dispatcher's round has it (a lease: a dispatcher that died mid-start gives it back by expiry). */
    claimedUntil: p.datetime().nullable(),
    lastError: p.text().nullable(),
    /** Instances the dispatcher started (or found already started) for it. */
    instances: p.json<{ templateKey: string; instanceId: string }[]>().onCreate(() => []),
  },
});

export class RaisedEvent extends RaisedEventSchema.class {}
RaisedEventSchema.setClass(RaisedEvent);
