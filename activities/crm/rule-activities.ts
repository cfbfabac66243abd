import { defineActivity } from '../activity-definition';
import { ApprovalPlan, approvalLevels } from './rules/approval-levels';
import { checkRuleData } from './rules/check-rule-data';
import { TicketClassification, classifyTicket } from './rules/classify-ticket';
import {
  DEFAULT_APPROVAL_POLICY,
  DEFAULT_QUOTE_PRICING_POLICY,
  DEFAULT_SLA_POLICY,
  DEFAULT_TICKET_DICTIONARY,
  DEFAULT_TICKET_PRIORITY_POLICY,
} from './rules/defaults';
import { PricedQuote, priceQuote } from './rules/quote-pricing';
import { SlaDeadlines, slaDeadlines } from './rules/sla-deadlines';
import { TicketPriority, ticketPriority } from './rules/ticket-priority';
import {
  ApprovalLevelsParams,
  ClassifyTicketParams,
  PriceQuoteParams,
  PrioritiseTicketParams,
  TicketSlaParams,
} from './rule-activity-schemas';
import { decideByRule } from './sales/sales-failure';

/**
 * The CRM business rules as activities. They are pure (no I/O), so they use no dependencies;
 * each takes the rule's input plus an optional `policy`, which defaults to the shipped one
 * (activities/crm/rules/defaults.ts), so a template's `with:` can override it.
 */
export const crmRuleActivities = [
  defineActivity({
    name: 'crm.classifyTicket',
    contract: {
      description:
        'Classify a service request by its keywords (technical, sales, complaint or other) and name its queue; policy: the keyword dictionary.',
      params: ClassifyTicketParams,
      result: TicketClassification,
    },
    async run({ policy, text }) {
      return decideByRule(() => classifyTicket(text, policy ?? DEFAULT_TICKET_DICTIONARY));
    },
  }),
  defineActivity({
    name: 'crm.prioritiseTicket',
    contract: {
      description:
        'Priority, red alert and the role a ticket goes to, from its category and the customer grade; policy: matrix, routes, escalations.',
      params: PrioritiseTicketParams,
      result: TicketPriority,
    },
    async run({ policy, ...input }) {
      return decideByRule(() => ticketPriority(input, policy ?? DEFAULT_TICKET_PRIORITY_POLICY));
    },
  }),
  defineActivity({
    name: 'crm.ticketSla',
    contract: {
      description:
        'Response and resolution deadlines of a ticket from its priority and when it was opened; policy: durations per priority.',
      params: TicketSlaParams,
      result: SlaDeadlines,
    },
    async run({ policy, priority, openedAt }) {
      return decideByRule(() => slaDeadlines(priority, openedAt, policy ?? DEFAULT_SLA_POLICY));
    },
  }),
  defineActivity({
    name: 'crm.priceQuote',
    contract: {
      description:
        'Price a quote in integer cents: tier prices, customer discount, line and quote totals; policy: tier basis and discount on tiers.',
      params: PriceQuoteParams,
      result: PricedQuote,
    },
    async run({ policy, ...input }) {
      return decideByRule(() => priceQuote(input, policy ?? DEFAULT_QUOTE_PRICING_POLICY));
    },
  }),
  defineActivity({
    name: 'crm.approvalLevels',
    contract: {
      description:
        'The approval levels a quote must pass, in order, from its discount and total; policy: the levels and their thresholds.',
      params: ApprovalLevelsParams,
      result: ApprovalPlan,
    },
    async run({ policy, ...request }) {
      return decideByRule(() => approvalLevels(request, policy ?? DEFAULT_APPROVAL_POLICY));
    },
  }),
] as const;

export type CrmRuleName = (typeof crmRuleActivities)[number]['name'];

/** The stored records a backtest of a rule reads, and how one becomes the rule's request. */
export type PolicyRuleRecords = 'quotes' | 'tickets' | 'leads';

/**
 * The rules a designer can try outside a process (the studio's what-if and backtest): pure, so
 * running one has no effect. `records` names what a backtest judges again; none for pricing,
 * whose request (lines, tiers, volume) is not stored whole.
 */
export const POLICY_RULES: Readonly<Record<CrmRuleName, { policyParam: 'policy'; records?: PolicyRuleRecords }>> = {
  'crm.classifyTicket': { policyParam: 'policy', records: 'tickets' },
  'crm.prioritiseTicket': { policyParam: 'policy', records: 'tickets' },
  'crm.ticketSla': { policyParam: 'policy', records: 'tickets' },
  'crm.priceQuote': { policyParam: 'policy' },
  'crm.approvalLevels': { policyParam: 'policy', records: 'quotes' },
};

export function isPolicyRule(activity: string): activity is CrmRuleName {
  return Object.hasOwn(POLICY_RULES, activity);
}

/**
 * Runs a rule as its activity does (the shipped policy when `policy` is absent), after checking
 * the parameters against the activity's schema; a `RuleError` says what is wrong with them.
 */
export function decidePolicyRule(activity: CrmRuleName, params: unknown): Promise<unknown> {
  const definition = crmRuleActivities.find((d) => d.name === activity)!;
  checkRuleData(definition.contract.params, params, 'rule.invalid-input', `${activity}'s parameters`);
  // The rules take no dependencies (see above), so none are passed.
  return (definition.run as (params: unknown) => Promise<unknown>)(params);
}
