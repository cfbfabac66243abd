import { Type } from 'typebox';
import { Cursor, Limit } from '../json-and-paging';

/**
 * CRM records as the API returns them. Each resource documents its main fields; the objects stay
 * open so a column added later reaches clients without a schema change here.
 */
export const CrmRecord = (properties: Parameters<typeof Type.Object>[0], description: string) =>
  Type.Object({ id: Type.String(), ...properties }, { additionalProperties: true, description });

export const CrmPage = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  });

export const PageQuery = { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) };

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const NullableText = Type.Union([Type.String(), Type.Null()]);
export const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
export const Iso = Type.String({ format: 'date-time' });

/** What a record's event started, in the answer of the request that created the record. */
export const StartedProcesses = {
  processes: Type.Array(Type.Object({ templateKey: Type.String(), instanceId: Type.String() }), {
    description:
      'Instances the event starts, one per bound template; their ids are fixed, so a retried request names the same ones.',
  }),
  triggerPending: Type.Boolean({
    description:
      'True while `processes` are still being started: the answer does not wait for Temporal. ' +
      'A read of such an instance, or an event sent to the record, through the API process that answered ' +
      "waits for its start; while Temporal is unreachable, the dispatcher's poller starts them later under " +
      'the same ids. False when there is nothing left to start (a replayed request whose event was dispatched).',
  }),
};

/** The answer to an event sent to the processes of a business record. */
export const Signalled = Type.Object({
  accepted: Type.Literal(true),
  event: Type.String(),
  eventId: Type.String(),
  instanceIds: Type.Array(Type.String(), { description: 'The running instances that took the event.' }),
});
