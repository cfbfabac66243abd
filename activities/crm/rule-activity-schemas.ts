import { Type, type Static } from 'typebox';
import { ApprovalPolicy, ApprovalRequest } from './rules/approval-levels';
import { TicketDictionary } from './rules/classify-ticket';
import { QuoteInput, QuotePricingPolicy } from './rules/quote-pricing';
import { SlaOpenedAt, SlaPolicy } from './rules/sla-deadlines';
import { TicketPriorityInput, TicketPriorityLevel, TicketPriorityPolicy } from './rules/ticket-priority';

/*
 * Parameters of the CRM rule activities: the rule's own input schema plus an optional `policy`
 * (the rule's policy schema; the shipped default when absent), so a designer can override the
 * policy in a template's `with:`. Their catalog entries (activities/catalog.ts) take their results
 * from the rules' result schemas.
 */

export const ClassifyTicketParams = Type.Object(
  {
    text: Type.String({ description: 'The request as the customer wrote it (subject and body)' }),
    policy: Type.Optional(TicketDictionary),
  },
  { additionalProperties: false },
);
export type ClassifyTicketParams = Static<typeof ClassifyTicketParams>;

export const PrioritiseTicketParams = Type.Object(
  {
    ...TicketPriorityInput.properties,
    policy: Type.Optional(TicketPriorityPolicy),
  },
  { additionalProperties: false },
);
export type PrioritiseTicketParams = Static<typeof PrioritiseTicketParams>;

export const TicketSlaParams = Type.Object(
  {
    priority: TicketPriorityLevel,
    openedAt: SlaOpenedAt,
    policy: Type.Optional(SlaPolicy),
  },
  { additionalProperties: false },
);
export type TicketSlaParams = Static<typeof TicketSlaParams>;

export const PriceQuoteParams = Type.Object(
  {
    ...QuoteInput.properties,
    policy: Type.Optional(QuotePricingPolicy),
  },
  { additionalProperties: false },
);
export type PriceQuoteParams = Static<typeof PriceQuoteParams>;

export const ApprovalLevelsParams = Type.Object(
  {
    ...ApprovalRequest.properties,
    policy: Type.Optional(ApprovalPolicy),
  },
  { additionalProperties: false },
);
export type ApprovalLevelsParams = Static<typeof ApprovalLevelsParams>;
