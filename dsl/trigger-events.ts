import { Type, type Static, type TObject } from 'typebox';

/**
 * The business events a template may bind with `triggers: [{ event }]`, each with the payload the
 * started instance receives as its input. One source: the emitters (API routes, activities) type
 * their payloads from here and the linter checks that a template's input schema accepts them.
 */
const Ref = Type.String({ minLength: 1, maxLength: 200 });

export const TRIGGER_EVENTS = {
  'lead.created': Type.Object({ leadId: Ref }, { additionalProperties: false }),
  'quote.submitted': Type.Object(
    { quoteId: Ref, version: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false },
  ),
  'order.placed': Type.Object({ orderId: Ref }, { additionalProperties: false }),
  'ticket.opened': Type.Object({ ticketId: Ref }, { additionalProperties: false }),
  'ticket.closed': Type.Object(
    {
      ticketId: Ref,
      customerId: Ref,
      triggerRef: Type.String({ description: 'What the survey is about, e.g. ticket:T-1', minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  'order.delivered': Type.Object(
    {
      orderId: Ref,
      customerId: Ref,
      triggerRef: Type.String({ description: 'What the survey is about, e.g. order:O-1', minLength: 1 }),
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TObject>;

export type TriggerEvent = keyof typeof TRIGGER_EVENTS;
export type TriggerPayload<E extends TriggerEvent> = Static<(typeof TRIGGER_EVENTS)[E]>;

export function isTriggerEvent(name: string): name is TriggerEvent {
  return Object.hasOwn(TRIGGER_EVENTS, name);
}
