import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import { DEFAULT_LEAD_ASSIGNMENT_POLICY } from '../rules/defaults';
import { chooseLeadOwner, type LeadAssignmentPolicy } from '../rules/lead-assignment';
import type { AssignLeadParams, LeadAssignment, ReassignLeadParams } from './lead-schemas';
import { lockLead, toLeadSummary, type LeadRow } from './lead-rows';
import { decideByRule, refuseSale } from './sales-failure';
import { findLeadOwner, findRegionManager, loadSalesReps } from './sales-people';

// Assignments are serialised: two leads assigned at once would otherwise both see a rep's old
// workload and could push the rep past capacity. Assigning is rare and quick, so one lock is enough.
const ASSIGNMENT_LOCK = 'select pg_advisory_xact_lock(hashtext(\'crm.lead-assignment\'))';

export function createLeadOwnerActivities(deps: ActivityDeps) {
  return {
    /**
     * Gives a new lead its owner: the rep of its region covering its product with the least
     * workload, else (or when the lead lacks a region or product) the region's manager's queue,
     * leaving the lead unowned. A lead that already has an owner keeps it, so a retry after the
     * first attempt committed returns that owner instead of counting the lead against them.
     */
    async 'crm.assignLead'({ leadId, policy }: AssignLeadParams): Promise<LeadAssignment> {
      return deps.orm.em.fork().transactional(async (tx) => {
        await tx.execute(ASSIGNMENT_LOCK);
        const lead = await lockLead(tx, leadId);
        if (lead.owner_id !== null) return currentOwner(tx, lead, `already owned by ${lead.owner_id}`);
        return chooseOwner(tx, lead, policy ?? DEFAULT_LEAD_ASSIGNMENT_POLICY, null);
      });
    },

    /**
     * Takes a lead from a rep (stale, on leave) and gives it to the next best rep by the same rule,
     * else to the manager's queue. If the lead has moved on from that rep already (a retry, or
     * someone else reassigned it), its current owner is returned unchanged.
     */
    async 'crm.reassignLead'({ leadId, fromOwnerId, policy }: ReassignLeadParams): Promise<LeadAssignment> {
      return deps.orm.em.fork().transactional(async (tx) => {
        await tx.execute(ASSIGNMENT_LOCK);
        const lead = await lockLead(tx, leadId);
        if (lead.owner_id !== null && lead.owner_id !== fromOwnerId) return currentOwner(tx, lead, `already reassigned to ${lead.owner_id}`);
        return chooseOwner(tx, lead, policy ?? DEFAULT_LEAD_ASSIGNMENT_POLICY, fromOwnerId);
      });
    },
  };
}

async function currentOwner(em: EntityManager, lead: LeadRow, reason: string): Promise<LeadAssignment> {
  const owner = await findLeadOwner(em, lead.owner_id!);
  if (!owner) refuseSale('lead.no-owner', `lead ${lead.id} is owned by ${lead.owner_id}, who is not a user`);
  return { outcome: 'assigned', reason, lead: toLeadSummary(lead), owner, queueRole: null };
}

async function chooseOwner(em: EntityManager, lead: LeadRow, policy: LeadAssignmentPolicy, excluded: string | null): Promise<LeadAssignment> {
  const region = lead.region?.trim() ?? '';
  const productInterest = lead.product_interest?.trim() ?? '';
  if (region === '' || productInterest === '') {
    return toManagerQueue(em, lead, policy, `lead has no ${region === '' ? 'region' : 'product interest'}`);
  }
  const reps = (await loadSalesReps(em, policy.eligibleRoles)).filter((rep) => rep.id !== excluded);
  const choice = decideByRule(() => chooseLeadOwner({ region, productInterest }, reps, policy));
  if (choice.outcome === 'fallback') return toManagerQueue(em, lead, policy, choice.reason);
  await em.execute('update leads set owner_id = ?, updated_at = now() where id = ?', [choice.repId, lead.id]);
  const owner = await findLeadOwner(em, choice.repId);
  if (!owner) throw new Error(`rep ${choice.repId} vanished while locked for assignment`);
  return { outcome: 'assigned', reason: choice.reason, lead: toLeadSummary({ ...lead, owner_id: choice.repId }), owner, queueRole: null };
}

async function toManagerQueue(em: EntityManager, lead: LeadRow, policy: LeadAssignmentPolicy, reason: string): Promise<LeadAssignment> {
  const manager = await findRegionManager(em, policy.managerRole, lead.region);
  if (!manager) refuseSale('lead.no-owner', `no rep fits lead ${lead.id} (${reason}) and no active user has the role ${policy.managerRole}`);
  if (lead.owner_id !== null) await em.execute('update leads set owner_id = null, updated_at = now() where id = ?', [lead.id]);
  return { outcome: 'fallback', reason, lead: toLeadSummary(lead), owner: manager, queueRole: policy.managerRole };
}
