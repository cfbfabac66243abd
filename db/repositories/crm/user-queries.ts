import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateUserInput, UpdateUserInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, one, str } from './row-values';

const ROUTING_KEYS = ['region', 'productLines', 'skills', 'capacity', 'locale'] as const;

export function toUser(row: Row) {
  const attributes = (row['attributes'] ?? {}) as Record<string, unknown>;
  return {
    id: String(row['id']), name: String(row['name']), email: String(row['email']), roles: row['roles'] as string[],
    managerId: str(row['manager_id']), active: Boolean(row['active']),
    region: (attributes['region'] as string | undefined) ?? null,
    productLines: (attributes['productLines'] as string[] | undefined) ?? [],
    skills: (attributes['skills'] as string[] | undefined) ?? [],
    capacity: (attributes['capacity'] as number | undefined) ?? null,
    locale: (attributes['locale'] as string | undefined) ?? null,
    attributes, createdAt: iso(row['created_at']),
  };
}

/** The routing attributes present in a create or update, as stored in engine_user.attributes. */
function routingAttributes(input: Pick<Partial<CreateUserInput>, (typeof ROUTING_KEYS)[number]>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const key of ROUTING_KEYS) if (input[key] !== undefined) attributes[key] = input[key];
  return attributes;
}

export async function listUsers(em: EntityManager, f: { role?: string; region?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  const where = new Where().maybe(f.role, '? = any(t.roles)').maybe(f.region, `t.attributes->>'region' = ?`);
  return queryRowPage(em, { from: 'engine_user', where, cursor: f.cursor, limit: f.limit });
}

export function getUser(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from engine_user where id = ?', [id]));
}

/** Inserts the user unless the id is taken; null then. */
export function insertUser(em: EntityManager, id: string, input: CreateUserInput, apiKeyHash: string): Promise<Row | null> {
  return one(em.execute<Row[]>(
    `insert into engine_user (id, name, email, roles, attributes, manager_id, api_key_hash, active, created_at)
     values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, ?, true, now())
     on conflict (id) do nothing returning *`,
    [id, input.name, input.email, JSON.stringify(input.roles), JSON.stringify(routingAttributes(input)), input.managerId ?? null, apiKeyHash],
  ));
}

/** Changes the given fields; routing attributes are merged into the stored ones. */
export function updateUser(em: EntityManager, id: string, input: UpdateUserInput): Promise<Row | null> {
  return one(em.execute<Row[]>(
    `update engine_user set
       name = coalesce(?, name), email = coalesce(?, email),
       roles = case when ?::jsonb is null then roles else array(select jsonb_array_elements_text(?::jsonb)) end,
       manager_id = case when ? then ? else manager_id end,
       active = coalesce(?, active),
       attributes = attributes || ?::jsonb
     where id = ? returning *`,
    [input.name ?? null, input.email ?? null, input.roles ? JSON.stringify(input.roles) : null, input.roles ? JSON.stringify(input.roles) : null,
      input.managerId !== undefined, input.managerId ?? null, input.active ?? null, JSON.stringify(routingAttributes(input)), id],
  ));
}
