import { defineEntity, p } from '@mikro-orm/postgresql';

/** An API start's `Idempotency-Key`, per caller: a retried request gets the instance the first one started. */
export const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_key',
  properties: {
    caller: p.text().primary(),
    key: p.text().primary(),
    /** sha256 of the request, so a reused key with a different body can be refused. */
    requestHash: p.text(),
    instanceId: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Set once, by the request that answers 201 (see `claimStart`); the others answer 200. */
    startedAt: p.datetime().nullable(),
  },
});

export class IdempotencyKey extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKey);
