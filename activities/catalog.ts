import { Type, type Static, type TSchema } from 'typebox';
import { catalogOf } from './activity-definition';
import {
  ApprovalLevelsParams, ClassifyTicketParams, PriceQuoteParams, PrioritiseTicketParams, TicketSlaParams,
} from './crm/rule-activity-schemas';
import { ApprovalPlan } from './crm/rules/approval-levels';
import { CRM_SALES_CATALOG } from './crm/sales/catalog';
import { CRM_LEAD_ACTIVITIES } from './crm/sales/leads';
import { CRM_SERVICE_CATALOG } from './crm/service';
import { TicketClassification } from './crm/rules/classify-ticket';
import { PricedQuote } from './crm/rules/quote-pricing';
import { SlaDeadlines } from './crm/rules/sla-deadlines';
import { TicketPriority } from './crm/rules/ticket-priority';

/**
 * Every activity a template may `call`, with the schema of its parameters and of its result.
 * One source: the activity's TypeScript types, the linter's parameter check and the type check
 * of expressions that read `steps.<id>.…` all come from here.
 */
export interface CatalogEntry {
  description: string;
  params: TSchema;
  result: TSchema;
}

export const SendMailParams = Type.Object({
  to: Type.String({ format: 'email', description: 'Recipient address' }),
  subject: Type.String({ minLength: 1, maxLength: 255 }),
  text: Type.String(),
  html: Type.Optional(Type.String()),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Defaults to the activity execution' })),
}, { additionalProperties: false });
export type SendMailParams = Static<typeof SendMailParams>;

export const SendMailResult = Type.Object({
  outboxId: Type.String(),
  messageId: Type.String(),
  alreadySent: Type.Boolean(),
});
export type SendMailResult = Static<typeof SendMailResult>;

export const SendTemplateMailParams = Type.Object({
  to: Type.String({ format: 'email', description: 'Recipient address' }),
  template: Type.String({ pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', description: 'A mail template in templates/mail, e.g. lead-assigned' }),
  locale: Type.Optional(Type.String({ minLength: 1, maxLength: 35, description: 'BCP 47 tag; zh → zh-CN, anything unknown → en' })),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'Values the template refers to; every one it renders must be present' }),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Defaults to the activity execution' })),
}, { additionalProperties: false });
export type SendTemplateMailParams = Static<typeof SendTemplateMailParams>;

export const SendTemplateMailResult = Type.Object({
  outboxId: Type.String(),
  messageId: Type.String(),
  alreadySent: Type.Boolean(),
  locale: Type.String({ description: 'The locale the mail was rendered in' }),
});
export type SendTemplateMailResult = Static<typeof SendTemplateMailResult>;

export const RecordAuditParams = Type.Object({
  actor: Type.String({ minLength: 1 }),
  action: Type.String({ minLength: 1 }),
  subject: Type.String({ minLength: 1 }),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  ip: Type.Optional(Type.String()),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
}, { additionalProperties: false });
export type RecordAuditParams = Static<typeof RecordAuditParams>;

export const RecordAuditResult = Type.Object({ auditId: Type.String() });
export type RecordAuditResult = Static<typeof RecordAuditResult>;

export const ACTIVITY_CATALOG: Record<string, CatalogEntry> = {
  'mail.send': { description: 'Send one e-mail through the outbox (at most once per idempotency key).', params: SendMailParams, result: SendMailResult },
  'mail.sendTemplate': { description: 'Render a localized mail template and send it through the outbox (at most once per idempotency key).', params: SendTemplateMailParams, result: SendTemplateMailResult },
  'audit.record': { description: 'Write one audit-log entry.', params: RecordAuditParams, result: RecordAuditResult },
  // CRM business rules (pure, activities/crm/rule-activities.ts). Each takes the rule's input and
  // an optional `policy` that defaults to the shipped one (activities/crm/rules/defaults.ts).
  'crm.classifyTicket': {
    description: 'Classify a service request by its keywords (technical, sales, complaint or other) and name its queue; policy: the keyword dictionary.',
    params: ClassifyTicketParams, result: TicketClassification,
  },
  'crm.prioritiseTicket': {
    description: 'Priority, red alert and the role a ticket goes to, from its category and the customer grade; policy: matrix, routes, escalations.',
    params: PrioritiseTicketParams, result: TicketPriority,
  },
  'crm.ticketSla': {
    description: 'Response and resolution deadlines of a ticket from its priority and when it was opened; policy: durations per priority.',
    params: TicketSlaParams, result: SlaDeadlines,
  },
  'crm.priceQuote': {
    description: 'Price a quote in integer cents: tier prices, customer discount, line and quote totals; policy: tier basis and discount on tiers.',
    params: PriceQuoteParams, result: PricedQuote,
  },
  'crm.approvalLevels': {
    description: 'The approval levels a quote must pass, in order, from its discount and total; policy: the levels and their thresholds.',
    params: ApprovalLevelsParams, result: ApprovalPlan,
  },
  ...CRM_SERVICE_CATALOG,
  ...CRM_SALES_CATALOG,
  ...catalogOf(CRM_LEAD_ACTIVITIES),
};
