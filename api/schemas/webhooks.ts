import { Type } from 'typebox';
import { WEBHOOK_EVENT_TYPES } from '../../contracts/webhook-events';

/*
 * Webhook subscriptions as the API speaks them. The signing secret is only in the responses
 * that issue it (create, rotate-secret).
 */

const Iso = Type.String({ format: 'date-time' });
const NullableIso = Type.Union([Iso, Type.Null()]);
const NoNul = '^[^\\u0000]*$';

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  pattern: NoNul,
  description:
    'http or https; loopback, private and reserved addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.',
});
const Description = Type.Union([Type.String({ maxLength: 500, pattern: NoNul }), Type.Null()]);
const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
  { description: 'An instance or task event, as the instance timeline records it.' },
);
const EventTypes = Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true });
const TemplateKeys = Type.Union(
  [
    Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: NoNul }), {
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
    }),
    Type.Null(),
  ],
  { description: 'The templates whose instances are reported; null or absent: every template.' },
);

export const WebhookRecord = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Description,
  templateKeys: Type.Union([Type.Array(Type.String()), Type.Null()]),
  eventTypes: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why deliveries stopped (failing for WEBHOOK_DISABLE_AFTER_DAYS, or an administrator).',
  }),
  failingSince: Type.Union([Iso, Type.Null()], { description: 'The first failed attempt since the last success.' }),
  lastSuccessAt: NullableIso,
  createdAt: Iso,
  updatedAt: Iso,
  createdBy: Type.Union([Type.String(), Type.Null()]),
});

export const WebhookSecret = Type.String({
  description:
    'The Standard Webhooks signing secret (`whsec_…`), shown in this response only: verify each request with it.',
});

export const CreatedWebhook = Type.Object({ ...WebhookRecord.properties, secret: WebhookSecret });
export const WebhookList = Type.Object({ items: Type.Array(WebhookRecord) });

export const CreateWebhookBody = Type.Object(
  {
    url: Url,
    description: Type.Optional(Description),
    templateKeys: Type.Optional(TemplateKeys),
    eventTypes: EventTypes,
  },
  { additionalProperties: false },
);

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    description: Type.Optional(Description),
    templateKeys: Type.Optional(TemplateKeys),
    eventTypes: Type.Optional(EventTypes),
    enabled: Type.Optional(
      Type.Boolean({ description: 'true re-enables a disabled subscription (its failure streak starts afresh).' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WebhookDeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: "The previous page's `nextBefore`." })),
  },
  { additionalProperties: false },
);

export const WebhookDeliveryLog = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      eventId: Type.String({ description: 'The `webhook-id` header: the same on every attempt and subscription.' }),
      eventType: Type.String(),
      instanceId: Type.Union([Type.String(), Type.Null()]),
      attempt: Type.Integer(),
      at: Iso,
      statusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'Null when no answer came.' }),
      durationMs: Type.Integer(),
      error: Type.Union([Type.String(), Type.Null()]),
      deliveryStatus: Type.Union([Type.Literal('pending'), Type.Literal('delivered')]),
    }),
  ),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});

export const RotatedWebhookSecret = Type.Object({ secret: WebhookSecret });
export const WebhookPing = Type.Object({ eventId: Type.String() });
