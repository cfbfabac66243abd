import { ApplicationFailure } from '@temporalio/activity';
import type { ApprovalPlan } from './rules/approval-levels';
import { approvalLevels } from './rules/approval-levels';
import type { TicketClassification } from './rules/classify-ticket';
import { classifyTicket } from './rules/classify-ticket';
import {
  DEFAULT_APPROVAL_POLICY, DEFAULT_QUOTE_PRICING_POLICY, DEFAULT_SLA_POLICY, DEFAULT_TICKET_DICTIONARY, DEFAULT_TICKET_PRIORITY_POLICY,
} from './rules/defaults';
import type { PricedQuote } from './rules/quote-pricing';
import { priceQuote } from './rules/quote-pricing';
import { RuleError } from './rules/rule-error';
import type { SlaDeadlines } from './rules/sla-deadlines';
import { slaDeadlines } from './rules/sla-deadlines';
import type { TicketPriority } from './rules/ticket-priority';
import { ticketPriority } from './rules/ticket-priority';
import type {
  ApprovalLevelsParams, ClassifyTicketParams, PriceQuoteParams, PrioritiseTicketParams, TicketSlaParams,
} from './rule-activity-schemas';

/**
 * Runs a rule; a `RuleError` (bad business data or a bad policy in the template) becomes a
 * non-retryable failure typed by its code, since retrying cannot fix the data. Anything else is
 * a bug and is rethrown as it is.
 */
function decide<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [error.issues] });
  }
}

/**
 * The CRM business rules as activities. They are pure (no I/O), so they need no dependencies;
 * each takes the rule's input plus an optional `policy`, which defaults to the shipped one.
 */
export function createCrmRuleActivities() {
  return {
    /** Category and queue of a service request from its text. */
    async 'crm.classifyTicket'({ policy, text }: ClassifyTicketParams): Promise<TicketClassification> {
      return decide(() => classifyTicket(text, policy ?? DEFAULT_TICKET_DICTIONARY));
    },

    /** Priority, red alert and the role a ticket goes to. */
    async 'crm.prioritiseTicket'({ policy, ...input }: PrioritiseTicketParams): Promise<TicketPriority> {
      return decide(() => ticketPriority(input, policy ?? DEFAULT_TICKET_PRIORITY_POLICY));
    },

    /** Response and resolution deadlines of a ticket. */
    async 'crm.ticketSla'({ policy, priority, openedAt }: TicketSlaParams): Promise<SlaDeadlines> {
      return decide(() => slaDeadlines(priority, openedAt, policy ?? DEFAULT_SLA_POLICY));
    },

    /** A priced quote: lines, totals and the effective discount. */
    async 'crm.priceQuote'({ policy, ...input }: PriceQuoteParams): Promise<PricedQuote> {
      return decide(() => priceQuote(input, policy ?? DEFAULT_QUOTE_PRICING_POLICY));
    },

    /** The approval levels a quote must pass, in order. */
    async 'crm.approvalLevels'({ policy, ...request }: ApprovalLevelsParams): Promise<ApprovalPlan> {
      return decide(() => approvalLevels(request, policy ?? DEFAULT_APPROVAL_POLICY));
    },
  };
}
