import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import type {
  DisqualifyLeadParams, LeadStatusResult, OpportunityStage, QualifiedLead, QualifyLeadParams, RecordLeadContactParams,
} from './lead-schemas';
import { appendLeadNote, lockLead, type LeadRow } from './lead-rows';
import { refuseSale } from './sales-failure';

/** Win probability an opportunity starts with, by stage, unless the caller names one. */
const PROBABILITY_BY_STAGE: Record<OpportunityStage, number> = {
  prospecting: 10, qualification: 20, proposal: 50, negotiation: 75, won: 100, lost: 0,
};

const HAN = /\p{Script=Han}/u;

export function createLeadActivities(deps: ActivityDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  return {
    /** Records a contact with the lead: it becomes 'contacted' (unless decided already) and the note is kept once per key. */
    async 'crm.recordLeadContact'({ leadId, actorId, note, noteKey }: RecordLeadContactParams): Promise<LeadStatusResult> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const lead = await lockLead(tx, leadId);
        if ((lead.notes ?? []).some((earlier) => earlier.key === noteKey)) return { leadId, status: lead.status };
        const status = lead.status === 'new' ? 'contacted' : lead.status;
        await tx.execute('update leads set status = ?, updated_at = now() where id = ?', [status, leadId]);
        await appendLeadNote(tx, leadId, { at: now(), by: actorId, text: note ?? '', key: noteKey });
        return { leadId, status };
      });
    },

    /**
     * Converts a lead into a customer with its primary contact and an opportunity, in one
     * transaction with the lead's new status. A lead qualified already returns what it became.
     */
    async 'crm.qualifyLead'(params: QualifyLeadParams): Promise<QualifiedLead> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const lead = await lockLead(tx, params.leadId);
        if (lead.status === 'qualified' && lead.customer_id !== null) return findConversion(tx, lead, lead.customer_id);
        if (lead.status === 'disqualified' || lead.status === 'qualified') {
          refuseSale('lead.invalid-transition', `lead ${lead.id} is ${lead.status}; it cannot be qualified`);
        }
        const customerId = `cust-${randomUUID()}`;
        const contactId = `contact-${randomUUID()}`;
        const opportunityId = `opp-${randomUUID()}`;
        const locale = HAN.test(lead.company) || HAN.test(lead.contact_name) ? 'zh-CN' : 'en';
        await tx.execute(
          `insert into customers (id, name, grade, region, source, owner_id, locale) values (?, ?, 'C', ?, ?, ?, ?)`,
          [customerId, lead.company, lead.region, lead.source, lead.owner_id, locale],
        );
        await tx.execute(
          'insert into contacts (id, customer_id, name, email, phone, is_primary) values (?, ?, ?, ?, ?, true)',
          [contactId, customerId, lead.contact_name, lead.email, lead.phone],
        );
        const stage = params.stage ?? 'qualification';
        await tx.execute(
          `insert into opportunities (id, customer_id, lead_id, name, stage, probability, amount_cents, owner_id)
           values (?, ?, ?, ?, ?, ?, ?, ?)`,
          [opportunityId, customerId, lead.id, params.opportunityName ?? lead.company, stage,
            params.probability ?? PROBABILITY_BY_STAGE[stage], params.amountCents ?? Number(lead.estimated_value_cents ?? 0), lead.owner_id],
        );
        await tx.execute(`update leads set status = 'qualified', customer_id = ?, updated_at = now() where id = ?`, [customerId, lead.id]);
        if (params.note) await appendLeadNote(tx, lead.id, { at: now(), by: params.actorId, text: params.note, key: 'qualified' });
        return { leadId: lead.id, customerId, contactId, opportunityId };
      });
    },

    /** Closes a lead as not worth pursuing, with the reason as a note. Disqualifying again changes nothing. */
    async 'crm.disqualifyLead'({ leadId, actorId, reason }: DisqualifyLeadParams): Promise<LeadStatusResult> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const lead = await lockLead(tx, leadId);
        if (lead.status === 'disqualified') return { leadId, status: lead.status };
        if (lead.status === 'qualified') refuseSale('lead.invalid-transition', `lead ${leadId} is qualified already; it cannot be disqualified`);
        await tx.execute(`update leads set status = 'disqualified', updated_at = now() where id = ?`, [leadId]);
        await appendLeadNote(tx, leadId, { at: now(), by: actorId, text: reason, key: 'disqualified' });
        return { leadId, status: 'disqualified' };
      });
    },
  };
}

/** What a qualified lead became: its customer, that customer's primary contact and the lead's opportunity. */
async function findConversion(em: EntityManager, lead: LeadRow, customerId: string): Promise<QualifiedLead> {
  const [contact] = await em.execute<{ id: string }[]>(
    'select id from contacts where customer_id = ? order by is_primary desc, created_at, id limit 1', [customerId],
  );
  const [opportunity] = await em.execute<{ id: string }[]>(
    'select id from opportunities where lead_id = ? order by created_at, id limit 1', [lead.id],
  );
  if (!contact || !opportunity) refuseSale('lead.conversion-incomplete', `lead ${lead.id} is qualified but its contact or opportunity is gone`);
  return { leadId: lead.id, customerId, contactId: contact.id, opportunityId: opportunity.id };
}
