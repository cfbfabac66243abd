import { CustomerRepository } from '../../../db/crm/customers';
import { LeadRepository, OpportunityRepository } from '../../../db/crm/leads';
import type { Lead } from '../../../db/crm/leads/lead.entity';
import {
  DisqualifyLeadParams,
  LeadStatusResult,
  QualifiedLead,
  QualifyLeadParams,
  RecordLeadContactParams,
} from '../../../db/crm/leads/lead.schema';
import { defineActivity } from '../../activity-definition';
import type { ActivityDeps } from '../../deps';
import { leadAssignmentActivities, lockLead } from './lead-owners';
import { refuseSale } from './sales-failure';

const HAN = /\p{Script=Han}/u;

const nowIso = (deps: ActivityDeps) => (deps.now ?? (() => new Date()))().toISOString();

/** The lead activities: assignment, contact, qualification and disqualification. */
export const leadActivities = [
  ...leadAssignmentActivities,
  defineActivity({
    name: 'crm.recordLeadContact',
    contract: {
      description: 'Record a contact with a lead: status contacted (unless decided), the note kept once per noteKey.',
      params: RecordLeadContactParams,
      result: LeadStatusResult,
    },
    async run({ leadId, actorId, note, noteKey }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const leads = new LeadRepository(tx);
        const lead = await lockLead(leads, leadId);
        if (leads.hasNote(lead, noteKey)) return { leadId, status: lead.status };
        const status = lead.status === 'new' ? 'contacted' : lead.status;
        leads.setStatus(lead, status);
        leads.appendNote(lead, { at: nowIso(deps), by: actorId, text: note ?? '', key: noteKey });
        return { leadId, status };
      });
    },
  }),
  defineActivity({
    name: 'crm.qualifyLead',
    contract: {
      description:
        'Convert a lead into a customer (grade C) with its primary contact and an opportunity; a qualified lead returns what it became.',
      params: QualifyLeadParams,
      result: QualifiedLead,
    },
    /**
     * Converts a lead into a customer with its primary contact and an opportunity, in one
     * transaction with the lead's new status. A lead qualified already returns what it became.
     */
    async run(params, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const leads = new LeadRepository(tx);
        const customers = new CustomerRepository(tx);
        const opportunities = new OpportunityRepository(tx);
        const lead = await lockLead(leads, params.leadId);
        if (lead.status === 'qualified' && lead.customer)
          return findConversion(customers, opportunities, lead, lead.customer.id);
        if (lead.status === 'disqualified' || lead.status === 'qualified') {
          refuseSale('lead.invalid-transition', `lead ${lead.id} is ${lead.status}; it cannot be qualified`);
        }
        const customer = await customers.create({
          name: lead.company,
          grade: 'C',
          locale: HAN.test(lead.company) || HAN.test(lead.contactName) ? 'zh-CN' : 'en',
          ...(lead.region != null ? { region: lead.region } : {}),
          source: lead.source,
          ...(lead.owner ? { ownerId: lead.owner.id } : {}),
        });
        const customerId = customer.id;
        const contact = await customers.addContact(customerId, {
          name: lead.contactName,
          isPrimary: true,
          ...(lead.email != null ? { email: lead.email } : {}),
          ...(lead.phone != null ? { phone: lead.phone } : {}),
        });
        const opportunity = await opportunities.create({
          customerId,
          leadId: lead.id,
          name: params.opportunityName ?? lead.company,
          stage: params.stage ?? 'qualification',
          ...(params.probability !== undefined ? { probability: params.probability } : {}),
          amountCents: params.amountCents ?? lead.estimatedValueCents ?? 0,
          ownerId: lead.owner?.id ?? null,
        });
        leads.convert(lead, customerId);
        if (params.note)
          leads.appendNote(lead, { at: nowIso(deps), by: params.actorId, text: params.note, key: 'qualified' });
        return { leadId: lead.id, customerId, contactId: contact.id, opportunityId: opportunity.id };
      });
    },
  }),
  defineActivity({
    name: 'crm.disqualifyLead',
    contract: {
      description: 'Close a lead as disqualified, with the reason as a note.',
      params: DisqualifyLeadParams,
      result: LeadStatusResult,
    },
    /** Closes a lead as not worth pursuing, with the reason as a note. Disqualifying again changes nothing. */
    async run({ leadId, actorId, reason }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const leads = new LeadRepository(tx);
        const lead = await lockLead(leads, leadId);
        if (lead.status === 'disqualified') return { leadId, status: lead.status };
        if (lead.status === 'qualified')
          refuseSale('lead.invalid-transition', `lead ${leadId} is qualified already; it cannot be disqualified`);
        leads.setStatus(lead, 'disqualified');
        leads.appendNote(lead, { at: nowIso(deps), by: actorId, text: reason, key: 'disqualified' });
        return { leadId, status: 'disqualified' as const };
      });
    },
  }),
] as const;

/** What a qualified lead became: its customer, that customer's primary contact and the lead's opportunity. */
async function findConversion(
  customers: CustomerRepository,
  opportunities: OpportunityRepository,
  lead: Lead,
  customerId: string,
): Promise<QualifiedLead> {
  const contact = await customers.findPrimaryContact(customerId);
  const opportunity = await opportunities.findFirstOfLead(lead.id);
  if (!contact || !opportunity)
    refuseSale('lead.conversion-incomplete', `lead ${lead.id} is qualified but its contact or opportunity is gone`);
  return { leadId: lead.id, customerId, contactId: contact.id, opportunityId: opportunity.id };
}
