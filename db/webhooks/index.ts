export { WebhookSubscription } from './webhook-subscription.entity';
export {
  WebhookSubscriptionRepository,
  type NewWebhookSubscription,
  type WebhookAttemptEntry,
  type WebhookSubscriptionChange,
} from './webhook-subscription.repository';
export {
  claimDueDeliveries,
  enqueueWebhookEvents,
  enqueueWebhookPing,
  recordDeliveryAttempt,
  webhookEventId,
  type AttemptOutcome,
  type ClaimedDelivery,
  type WebhookInstance,
} from './webhook-outbox';
