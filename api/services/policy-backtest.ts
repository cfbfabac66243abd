import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import type { CrmRuleName } from '../../activities/crm/rule-activities';
import { QuoteRepository } from '../../db/crm/quotes/quote.repository';
import { TicketRepository } from '../../db/crm/tickets';
import { ownerIdsOf, scopeOf } from '../access/owned-records';
import type { EngineContext } from '../engine-deps';
import { principalOf, refusalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { decideRuleStep, recordsOf, type RuleStep } from './policy-rule-trial';

/** One stored record as a rule's request. */
interface TrialRecord {
  recordId: string;
  label: string;
  request: Record<string, unknown>;
}

export interface BacktestItem extends Omit<TrialRecord, 'request'> {
  /** Null when withheld. */
  request: Record<string, unknown> | null;
  published: unknown;
  draft: unknown;
  changed: boolean;
}

/**
 * Judges the newest stored records again under the draft step's policy and the published one.
 * The records are read as their reader may see them: with `quotes.read` in the caller's owner
 * scope (a rep backtests own quotes, admins and finance all); with `tickets.read` every ticket, as
 * the ticket list shows. A designer holds neither, yet is who changes a policy: they get the
 * newest records of every owner with what identifies them withheld (`withheld: true`; items named
 * `#1`, `#2`, … with no request — a ticket's request is the customer's own words), so they see how
 * many decisions change and how, never whose. A record a policy refuses (data it does not cover)
 * is an item whose result is `{ error: { code, message } }`, not a failed backtest.
 */
export async function backtestRuleStep(
  ctx: EngineContext,
  request: FastifyRequest,
  draft: RuleStep,
  published: RuleStep | null,
  limit: number,
): Promise<{ records: 'quotes' | 'tickets' | 'leads'; withheld: boolean; items: BacktestItem[] }> {
  const records = recordsOf(draft);
  const withheld = refusalOf(principalOf(request), RECORD_RIGHTS[records]) !== null;
  const stored = await readRecords(ctx, request, ctx.orm.em.fork(), draft.activity, records, limit, withheld);
  const items: BacktestItem[] = [];
  for (const record of stored) {
    const draftResult = await judged(draft, record.request);
    const publishedResult = published ? await judged(published, record.request) : null;
    const changed = published !== null && JSON.stringify(draftResult) !== JSON.stringify(publishedResult);
    const identity = withheld
      ? { recordId: `#${items.length + 1}`, label: `#${items.length + 1}`, request: null }
      : record;
    items.push({ ...identity, published: publishedResult, draft: draftResult, changed });
  }
  return { records, withheld, items };
}

const RECORD_RIGHTS = { quotes: 'quotes.read', tickets: 'tickets.read', leads: 'leads.read' } as const;

async function judged(step: RuleStep, request: Record<string, unknown>): Promise<unknown> {
  try {
    return await decideRuleStep(step, request);
  } catch (error) {
    if (error instanceof ProblemError) return { error: { code: error.type, message: error.detail } };
    throw error;
  }
}

async function readRecords(
  ctx: EngineContext,
  request: FastifyRequest,
  em: EntityManager,
  activity: CrmRuleName,
  records: 'quotes' | 'tickets' | 'leads',
  limit: number,
  withheld: boolean,
): Promise<TrialRecord[]> {
  if (records === 'quotes') {
    // Withheld: every owner's quotes, since nothing of them but the decision leaves the server.
    const ownerIds = withheld ? undefined : ownerIdsOf(await scopeOf(ctx, principalOf(request), 'quotes'));
    const versions = await new QuoteRepository(em).newestPricedVersions(ownerIds, limit);
    return versions.map((v) => ({
      recordId: v.quoteId,
      label: `${v.quoteId} v${v.version}${v.customerName ? ` · ${v.customerName}` : ''}`,
      request: { discountPercent: v.negotiatedDiscountPercent, totalCents: v.totalCents },
    }));
  }
  if (records === 'tickets') {
    const tickets = await new TicketRepository(em).newest(limit);
    return tickets.map((ticket) => ({
      recordId: ticket.id,
      label: `${ticket.id} · ${ticket.subject}`,
      request: ticketRequest(activity, {
        text: `${ticket.subject}\n${ticket.body}`,
        category: ticket.category,
        customerGrade: ticket.customer?.grade ?? 'C',
        priority: ticket.priority,
        openedAt: ticket.createdAt.toISOString(),
      }),
    }));
  }
  return [];
}

/** What each ticket rule reads of a ticket, as the ticket-escalation template hands it over. */
function ticketRequest(
  activity: CrmRuleName,
  ticket: { text: string; category: string; customerGrade: string; priority: string; openedAt: string },
): Record<string, unknown> {
  switch (activity) {
    case 'crm.classifyTicket':
      return { text: ticket.text };
    case 'crm.prioritiseTicket':
      return { category: ticket.category, customerGrade: ticket.customerGrade };
    default:
      return { priority: ticket.priority, openedAt: ticket.openedAt };
  }
}
