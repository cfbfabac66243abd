import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * A create request's `Idempotency-Key`, per caller and scope (the kind of record it creates:
 * `instances`, `leads`, …): a retried request gets the record the first one created.
 */
export const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_key',
  properties: {
    caller: p.text().primary(),
    scope: p.text().primary(),
    key: p.text().primary(),
    /** sha256 of the request, so a reused key with a different body can be refused. */
    requestHash: p.text(),
    /** The instance or record the request created; null only inside the transaction creating it. */
    resourceId: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Set once, by the start that answers 201 (see `claimStart`); the others answer 200. */
    startedAt: p.datetime().nullable(),
  },
});

export class IdempotencyKey extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKey);
