import type { TimelineEntry } from './engine';

/*
 * What outgoing webhooks say: the event types a subscription chooses from and the body every
 * delivery carries. The events are the instance projection's own timeline entries (the one
 * record of what happened), so a webhook never reports something the timeline does not show.
 */

/** The timeline entry each event type is taken from; the names are the timeline's, but a held step is the instance's incident. */
export const WEBHOOK_EVENT_SOURCES = {
  'instance.started': 'instance.started',
  'instance.completed': 'instance.completed',
  'instance.failed': 'instance.failed',
  'instance.cancelled': 'instance.cancelled',
  'instance.incident': 'step.incident',
  'task.opened': 'task.opened',
  'task.claimed': 'task.claimed',
  'task.delegated': 'task.delegated',
  'task.released': 'task.released',
  'task.reminded': 'task.reminded',
  'task.escalated': 'task.escalated',
  'task.completed': 'task.completed',
  'task.cancelled': 'task.cancelled',
} as const satisfies Record<string, TimelineEntry['type']>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_SOURCES;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_SOURCES) as WebhookEventType[];

/** Sent only by POST /webhooks/:id/ping, to the one subscription asked; nobody subscribes to it. */
export const WEBHOOK_PING = 'webhook.ping';

const EVENT_OF_TIMELINE = new Map<string, WebhookEventType>(
  Object.entries(WEBHOOK_EVENT_SOURCES).map(([event, source]) => [source, event as WebhookEventType]),
);

/** The webhook event a timeline entry is, or undefined when it is none (steps, variables, events received). */
export function webhookEventOf(timelineType: TimelineEntry['type']): WebhookEventType | undefined {
  return EVENT_OF_TIMELINE.get(timelineType);
}

/** The JSON body of a delivery (the Standard Webhooks payload shape: type, timestamp, data). */
export interface WebhookPayload {
  type: WebhookEventType | typeof WEBHOOK_PING;
  /** When it happened (the timeline entry's time), ISO 8601. */
  timestamp: string;
  data: {
    instanceId?: string;
    templateKey?: string;
    version?: number;
    businessKey?: string | null;
    /** The timeline position of the entry: events of one instance are ordered by it. */
    seq?: number;
    stepId?: string;
    path?: string;
    /** The timeline entry's detail (a task's id, outcome and who acted; an error's code and message). */
    detail?: unknown;
  };
}
