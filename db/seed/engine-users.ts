import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { hashApiKey } from '../repositories/user-repository';

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  attributes: Record<string, Json>;
  managerId: string | null;
  /** Plain demo key, printed by `npm start`; only its sha256 is stored. Never use these outside a demo. */
  apiKey: string;
}

/** The demo people `npm start` creates, managers before the people reporting to them. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'u-admin', name: 'Ada Admin', email: 'admin@crm.example', roles: ['admin', 'designer'],
    attributes: {}, managerId: null, apiKey: 'demo-admin-key',
  },
  {
    id: 'u-sales-manager', name: 'Morgan Manager', email: 'sales.manager@crm.example', roles: ['sales-manager'],
    attributes: { region: 'EU', productLines: ['software', 'hardware'] }, managerId: null, apiKey: 'demo-manager-key',
  },
  {
    id: 'u-sales-rep', name: 'Sam Seller', email: 'sales.rep@crm.example', roles: ['sales-rep'],
    attributes: { region: 'EU', productLines: ['software'], skills: ['english', 'german'], capacity: 20 },
    managerId: 'u-sales-manager', apiKey: 'demo-rep-key',
  },
  {
    id: 'u-finance', name: 'Fin Approver', email: 'finance@crm.example', roles: ['finance'],
    attributes: {}, managerId: null, apiKey: 'demo-finance-key',
  },
];

/**
 * Creates the demo users that are missing and leaves existing rows as they are (an operator
 * may have changed them), so running it on every start is safe.
 */
export async function seedEngineUsers(em: EntityManager): Promise<{ created: string[] }> {
  return em.transactional(async (tx) => {
    const created: string[] = [];
    for (const user of DEMO_USERS) {
      const inserted = await tx.execute<{ id: string }[]>(
        `insert into engine_user (id, name, email, roles, attributes, manager_id, api_key_hash, active, created_at)
         values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, ?, true, now())
         on conflict do nothing returning id`,
        [user.id, user.name, user.email, JSON.stringify(user.roles), JSON.stringify(user.attributes),
          user.managerId, hashApiKey(user.apiKey)],
      );
      created.push(...inserted.map((row) => row.id));
    }
    return { created };
  });
}
