import type { EntityManager } from '@mikro-orm/postgresql';
import { Type, type Static } from 'typebox';
import { LeadRepository } from '../../../db/crm/leads';
import type { Lead } from '../../../db/crm/leads/lead.entity';
import { LeadAssignment, type LeadOwner } from '../../../db/crm/leads/lead.schema';
import type { EngineUser } from '../../../db/users/user.entity';
import { OutOfOfficeRepository } from '../../../db/users/out-of-office.repository';
import { UserRepository } from '../../../db/users/user.repository';
import { defineActivity } from '../../activity-definition';
import { DEFAULT_LEAD_ASSIGNMENT_POLICY } from '../rules/defaults';
import { chooseLeadOwner, LeadAssignmentPolicy, type SalesRep } from '../rules/lead-assignment';
import { decideByRule, refuseSale } from './sales-failure';

// These parameters stay with the activities, not in db/crm/leads: their policy is the rule's (activities/crm/rules).
const LeadRef = Type.String({ minLength: 1, maxLength: 200 });

export const AssignLeadParams = Type.Object(
  {
    leadId: LeadRef,
    policy: Type.Optional(LeadAssignmentPolicy),
  },
  { additionalProperties: false },
);
export type AssignLeadParams = Static<typeof AssignLeadParams>;

export const ReassignLeadParams = Type.Object(
  {
    leadId: LeadRef,
    fromOwnerId: Type.String({
      minLength: 1,
      description: 'The rep the lead is taken from (e.g. who let it go stale)',
    }),
    policy: Type.Optional(LeadAssignmentPolicy),
  },
  { additionalProperties: false },
);
export type ReassignLeadParams = Static<typeof ReassignLeadParams>;

/** The lead, locked for this transaction: every writer of a lead takes this lock first. */
export async function lockLead(leads: LeadRepository, leadId: string): Promise<Lead> {
  return (await leads.lock(leadId)) ?? refuseSale('lead.unknown', `no lead ${leadId}`);
}

export const leadAssignmentActivities = [
  defineActivity({
    name: 'crm.assignLead',
    contract: {
      description:
        "Give a lead its owner: the least-loaded rep of its region covering its product, else its region manager's queue (outcome fallback, lead stays unowned); policy: eligible roles, product-line requirement, manager role.",
      params: AssignLeadParams,
      result: LeadAssignment,
    },
    /**
     * Gives a new lead its owner: the rep of its region covering its product with the least
     * workload, else (or when the lead lacks a region or product) the region's manager's queue,
     * leaving the lead unowned. A lead that already has an owner keeps it, so a retry after the
     * first attempt committed returns that owner instead of counting the lead against them.
     */
    async run({ leadId, policy }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const leads = new LeadRepository(tx);
        const lead = await lockLead(leads, leadId);
        await leads.serialiseAssignments(lead.region ?? null);
        if (lead.owner) return currentOwner(tx, leads, lead, `already owned by ${lead.owner.id}`);
        return chooseOwner(tx, leads, lead, policy ?? DEFAULT_LEAD_ASSIGNMENT_POLICY, null);
      });
    },
  }),
  defineActivity({
    name: 'crm.reassignLead',
    contract: {
      description:
        "Take a lead from a rep and give it to the next best rep by the same rule, else the manager's queue; a lead that moved on already keeps its owner.",
      params: ReassignLeadParams,
      result: LeadAssignment,
    },
    /**
     * Takes a lead from a rep (stale, on leave) and gives it to the next best rep by the same rule,
     * else to the manager's queue. If the lead has moved on from that rep already (a retry, or
     * someone else reassigned it), its current owner is returned unchanged.
     */
    async run({ leadId, fromOwnerId, policy }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const leads = new LeadRepository(tx);
        const lead = await lockLead(leads, leadId);
        await leads.serialiseAssignments(lead.region ?? null);
        if (lead.owner && lead.owner.id !== fromOwnerId)
          return currentOwner(tx, leads, lead, `already reassigned to ${lead.owner.id}`);
        return chooseOwner(tx, leads, lead, policy ?? DEFAULT_LEAD_ASSIGNMENT_POLICY, fromOwnerId);
      });
    },
  }),
] as const;

async function currentOwner(
  em: EntityManager,
  leads: LeadRepository,
  lead: Lead,
  reason: string,
): Promise<LeadAssignment> {
  const ownerId = lead.owner!.id;
  const owner = await findLeadOwner(em, ownerId);
  if (!owner) refuseSale('lead.no-owner', `lead ${lead.id} is owned by ${ownerId}, who is not a user`);
  return { outcome: 'assigned', reason, lead: leads.toSummary(lead), owner, queueRole: null };
}

async function chooseOwner(
  em: EntityManager,
  leads: LeadRepository,
  lead: Lead,
  policy: LeadAssignmentPolicy,
  excluded: string | null,
): Promise<LeadAssignment> {
  const region = lead.region?.trim() ?? '';
  const productInterest = lead.productInterest?.trim() ?? '';
  if (region === '' || productInterest === '') {
    return toManagerQueue(em, leads, lead, policy, `lead has no ${region === '' ? 'region' : 'product interest'}`);
  }
  const reps = (await loadSalesReps(em, policy.eligibleRoles)).filter((rep) => rep.id !== excluded);
  const choice = decideByRule(() => chooseLeadOwner({ region, productInterest }, reps, policy));
  if (choice.outcome === 'fallback') return toManagerQueue(em, leads, lead, policy, choice.reason);
  leads.setOwner(lead, choice.repId);
  const owner = await findLeadOwner(em, choice.repId);
  if (!owner) throw new Error(`rep ${choice.repId} vanished while locked for assignment`);
  return { outcome: 'assigned', reason: choice.reason, lead: leads.toSummary(lead), owner, queueRole: null };
}

async function toManagerQueue(
  em: EntityManager,
  leads: LeadRepository,
  lead: Lead,
  policy: LeadAssignmentPolicy,
  reason: string,
): Promise<LeadAssignment> {
  const manager = await findRegionManager(em, policy.managerRole, lead.region ?? null);
  if (!manager)
    refuseSale(
      'lead.no-owner',
      `no rep fits lead ${lead.id} (${reason}) and no active user has the role ${policy.managerRole}`,
    );
  leads.setOwner(lead, null);
  return { outcome: 'fallback', reason, lead: leads.toSummary(lead), owner: manager, queueRole: policy.managerRole };
}

/** A rep without a capacity attribute is not limited; the rule wants a number, so a large one. */
const UNLIMITED_CAPACITY = 1_000_000;

/**
 * Active users holding one of the roles, as the lead-assignment rule sees them: region, product
 * lines and capacity from their attributes, and their open workload (leads they own that are new
 * or contacted). Users without a region cannot be matched and are left out.
 */
export async function loadSalesReps(em: EntityManager, eligibleRoles: string[]): Promise<SalesRep[]> {
  const users = await new UserRepository().listActiveWithRoles(em, eligibleRoles);
  const openLeads = await new LeadRepository(em).countOpenLeads(users.map((user) => user.id));
  // Someone out of office takes no new leads: the rule sees them as inactive.
  const absent = new Set(
    await new OutOfOfficeRepository().absentAt(
      em,
      users.map((user) => user.id),
      new Date(),
    ),
  );
  const reps: SalesRep[] = [];
  for (const user of users) {
    const attributes = user.attributes;
    const region = typeof attributes['region'] === 'string' ? attributes['region'].trim() : '';
    if (region === '') continue;
    const lines = Array.isArray(attributes['productLines']) ? attributes['productLines'] : [];
    const capacity = attributes['capacity'];
    reps.push({
      id: user.id,
      region,
      productLines: lines.filter((line): line is string => typeof line === 'string' && line.trim() !== ''),
      openLeads: openLeads.get(user.id) ?? 0,
      capacity: Number.isInteger(capacity) && (capacity as number) >= 0 ? (capacity as number) : UNLIMITED_CAPACITY,
      active: user.active && !absent.has(user.id),
      roles: user.roles.filter((role) => role !== ''),
    });
  }
  return reps;
}

/**
 * The manager whose queue takes an unassigned lead: an active user with the role in the lead's
 * region, else any active user with the role; the smallest id, so a retry finds the same one.
 */
async function findRegionManager(
  em: EntityManager,
  managerRole: string,
  region: string | null,
): Promise<LeadOwner | null> {
  const managers = await new UserRepository().listActiveWithRoles(em, [managerRole]);
  const wanted = (region ?? '').trim().toLowerCase();
  const inRegion = managers.find((manager) => {
    const managerRegion = manager.attributes['region'];
    return typeof managerRegion === 'string' && managerRegion.trim().toLowerCase() === wanted;
  });
  const manager = inRegion ?? managers[0];
  return manager ? toLeadOwner(manager) : null;
}

async function findLeadOwner(em: EntityManager, userId: string): Promise<LeadOwner | null> {
  const user = await new UserRepository().get(em, userId);
  return user ? toLeadOwner(user) : null;
}

function toLeadOwner(user: EngineUser): LeadOwner {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    locale: user.attributes['locale'] === 'zh-CN' ? 'zh-CN' : 'en',
  };
}
