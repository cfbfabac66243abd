import { createHash } from 'node:crypto';

/**
 * The event id of an outside event for an order when the client gave none: the same order, event
 * and payload give the same id, so a resent request is taken once by the workflow.
 */
export function orderEventId(orderId: string, event: string, payload: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(payload ?? null)).digest('hex').slice(0, 16);
  return `${orderId}:${event}:${digest}`;
}
