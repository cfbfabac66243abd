import { Type } from 'typebox';

/** The `Idempotency-Key` request header of every create route (instances and CRM records). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Makes a create safe to retry: the same key and body return what the first request created (200 instead of 201), ' +
        'of racing requests exactly one answers 201, and the key with a different body is a 409 `idempotency-key-reused`. ' +
        'Keys are per caller and per kind of record.',
    }),
  ),
});
