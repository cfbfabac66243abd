import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';

export const INSTANCE_STATUSES = ['running', 'incident', 'completed', 'failed', 'cancelled'] as const;

/**
 * The list-and-filter projection of one process instance (the workflow stays the source of
 * truth). `projectedSeq` is the timeline position the row reflects: a projection that arrives
 * late (a retry) never overwrites a newer one, and a terminal status is final.
 */
export const InstanceRowSchema = defineEntity({
  name: 'InstanceRow',
  tableName: 'process_instance',
  properties: {
    /** The Temporal workflow id. */
    id: p.text().primary(),
    templateKey: p.text(),
    version: p.integer(),
    businessKey: p.text().nullable(),
    parentId: p.text().nullable(),
    status: p.enum(INSTANCE_STATUSES),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    currentSteps: p.json<string[]>(),
    result: p.json<Json>().nullable(),
    error: p.json<{ code: string; message: string; stepId?: string; path?: string; since?: string }>().nullable(),
    projectedSeq: p.integer().default(-1),
    /** The Temporal run that owns the row: the latest after a reset or continue-as-new (null before its first write). */
    runId: p.text().nullable(),
    /** Runs this one replaced: their late writes are ignored. */
    supersededRunIds: p.array().default([]),
    /** Added to the owning run's timeline positions, past the entries of the runs it replaced. */
    timelineOffset: p.integer().default(0),
    updatedAt: p.datetime(),
  },
});

export class InstanceRow extends InstanceRowSchema.class {}
InstanceRowSchema.setClass(InstanceRow);
