import type { EntityManager } from '@mikro-orm/postgresql';
import { LeadRepository } from '../../../db/crm/leads';
import type { LeadOwner } from '../../../db/crm/leads/lead.schema';
import type { SalesRep } from '../rules/lead-assignment';

/** A rep without a capacity attribute is not limited; the rule wants a number, so a large one. */
const UNLIMITED_CAPACITY = 1_000_000;

interface UserRow { id: string; name: string; email: string; roles: string[]; attributes: Record<string, unknown> | null; active: boolean }

/**
 * Active users holding one of the roles, as the lead-assignment rule sees them: region, product
 * lines and capacity from their attributes, and their open workload (leads they own that are new
 * or contacted). Users without a region cannot be matched and are left out.
 */
export async function loadSalesReps(em: EntityManager, eligibleRoles: string[]): Promise<SalesRep[]> {
  const rows = await em.execute<UserRow[]>(
    `select u.id, u.name, u.email, u.roles, u.attributes, u.active
     from engine_user u
     where u.active and u.roles && array(select jsonb_array_elements_text(?::jsonb))
     order by u.id`,
    [JSON.stringify(eligibleRoles)],
  );
  const openLeads = await new LeadRepository(em).countOpenLeads(rows.map((row) => row.id));
  const reps: SalesRep[] = [];
  for (const row of rows) {
    const attributes = row.attributes ?? {};
    const region = typeof attributes['region'] === 'string' ? attributes['region'].trim() : '';
    if (region === '') continue;
    const lines = Array.isArray(attributes['productLines']) ? attributes['productLines'] : [];
    const capacity = attributes['capacity'];
    reps.push({
      id: row.id,
      region,
      productLines: lines.filter((line): line is string => typeof line === 'string' && line.trim() !== ''),
      openLeads: openLeads.get(row.id) ?? 0,
      capacity: Number.isInteger(capacity) && (capacity as number) >= 0 ? capacity as number : UNLIMITED_CAPACITY,
      active: row.active,
      roles: row.roles.filter((role) => role !== ''),
    });
  }
  return reps;
}

/**
 * The manager whose queue takes an unassigned lead: an active user with the role in the lead's
 * region, else any active user with the role; the smallest id, so a retry finds the same one.
 */
export async function findRegionManager(em: EntityManager, managerRole: string, region: string | null): Promise<LeadOwner | null> {
  const rows = await em.execute<UserRow[]>(
    `select id, name, email, roles, attributes, active from engine_user
     where active and ? = any(roles)
     order by case when lower(trim(attributes->>'region')) = lower(trim(?)) then 0 else 1 end, id
     limit 1`,
    [managerRole, region ?? ''],
  );
  return rows[0] ? toLeadOwner(rows[0]) : null;
}

export async function findLeadOwner(em: EntityManager, userId: string): Promise<LeadOwner | null> {
  const rows = await em.execute<UserRow[]>('select id, name, email, roles, attributes, active from engine_user where id = ?', [userId]);
  return rows[0] ? toLeadOwner(rows[0]) : null;
}

function toLeadOwner(row: UserRow): LeadOwner {
  return { id: row.id, name: row.name, email: row.email, locale: row.attributes?.['locale'] === 'zh-CN' ? 'zh-CN' : 'en' };
}
