import { Type } from 'typebox';
import { Cursor, DateTime, JsonValue, Limit, NullableDateTime, NullableString, Page } from './json-and-paging';

export const InstanceStatus = Type.Union([
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const StartInstanceBody = Type.Object(
  {
    template: Type.String({
      description: 'Template key; the newest published version starts.',
      examples: ['lead-assignment'],
    }),
    input: JsonValue,
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'A retried start with the same key and body returns the same instance.',
    }),
  ),
});

export const StartedInstance = Type.Object({
  id: Type.String(),
  templateKey: Type.String(),
  version: Type.Integer(),
  businessKey: NullableString,
  status: InstanceStatus,
});

export const Instance = Type.Object({
  id: Type.String(),
  templateKey: Type.String(),
  version: Type.Integer(),
  businessKey: NullableString,
  parentId: NullableString,
  status: InstanceStatus,
  startedAt: DateTime,
  endedAt: NullableDateTime,
  currentSteps: Type.Array(Type.String()),
  result: Type.Optional(JsonValue),
  error: Type.Optional(JsonValue),
});

export const InstanceListQuery = Type.Object(
  {
    template: Type.Optional(Type.String()),
    status: Type.Optional(InstanceStatus),
    businessKey: Type.Optional(Type.String()),
    startedFrom: Type.Optional(DateTime),
    startedTo: Type.Optional(DateTime),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const InstancePage = Page(Instance);

export const InstanceIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const TimelineEntry = Type.Object({
  seq: Type.Integer(),
  at: DateTime,
  type: Type.String(),
  stepId: NullableString,
  path: NullableString,
  detail: Type.Optional(JsonValue),
});

export const Timeline = Type.Object({ items: Type.Array(TimelineEntry) });

export const SendEventBody = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 200, examples: ['stock.received'] }),
    payload: Type.Optional(JsonValue),
    eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Deduplicates a resent event.' })),
  },
  { additionalProperties: false },
);

export const Accepted = Type.Object({ accepted: Type.Literal(true), instanceId: Type.String() });
