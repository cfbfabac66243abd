import { conflict } from './crm-problems';

/**
 * The states of its record in which a process event means something: a reopen or a confirmation
 * answers a resolution, stock is awaited only by an order short of it, and only shipped goods can
 * be delivered. An event sent in any other state would be held by the process and act later, on a
 * record that has moved on, so it is refused instead.
 */
const EVENT_STATES: Readonly<Record<string, { record: string; states: readonly string[] }>> = {
  'ticket.reopened': { record: 'ticket', states: ['resolved'] },
  'ticket.confirmed': { record: 'ticket', states: ['resolved'] },
  'stock.received': { record: 'order', states: ['awaiting-stock', 'partially-shipped'] },
  'delivery.confirmed': { record: 'order', states: ['shipped'] },
};

/** 409 `event-not-allowed` naming the record's state when `event` means nothing in it. */
export function assertEventAllowed(event: string, recordId: string, status: string): void {
  const rule = EVENT_STATES[event];
  if (!rule || rule.states.includes(status)) return;
  throw conflict(
    'event-not-allowed',
    `${rule.record[0]!.toUpperCase()}${rule.record.slice(1)} '${recordId}' is ${status}: '${event}' is taken only when it is ${rule.states.join(' or ')}.`,
    { event, recordStatus: status, allowedStates: [...rule.states] },
  );
}
