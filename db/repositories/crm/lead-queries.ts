import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateLeadInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, numOrNull, one, str } from './row-values';

export function toLead(row: Row) {
  return {
    id: String(row['id']), source: String(row['source']), company: String(row['company']), contactName: String(row['contact_name']),
    email: str(row['email']), phone: str(row['phone']), region: str(row['region']), productInterest: str(row['product_interest']),
    estimatedValueCents: numOrNull(row['estimated_value_cents']), status: String(row['status']), ownerId: str(row['owner_id']),
    customerId: str(row['customer_id']), createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

export function toLeadWithNotes(row: Row) {
  return { ...toLead(row), notes: (row['notes'] ?? []) as { at: string; by: string | null; text: string }[] };
}

export interface LeadFilters { ownerId?: string; status?: string; source?: string; region?: string; cursor?: string; limit?: number }

export function listLeads(em: EntityManager, f: LeadFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.ownerId, 't.owner_id = ?').maybe(f.status, 't.status = ?')
    .maybe(f.source, 't.source = ?').maybe(f.region, 't.region = ?');
  return queryRowPage(em, { from: 'leads', where, cursor: f.cursor, limit: f.limit });
}

export function getLead(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from leads where id = ?', [id]));
}

// Company and contact name compare without case and without any whitespace ("ACME  Corp" = "acme corp").
const SQUASH = (column: string) => `regexp_replace(lower(${column}), '\\s+', '', 'g')`;
const squash = (text: string) => text.toLowerCase().replace(/\s+/g, '');

/**
 * The oldest lead that is not disqualified with the same e-mail (any case), or the same company and
 * contact name. Lead creation takes a transaction-scoped advisory lock first, so two identical
 * leads posted at once cannot both pass this check.
 */
export async function findDuplicateLead(em: EntityManager, input: Pick<CreateLeadInput, 'email' | 'company' | 'contactName'>): Promise<Row | null> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('crm.lead-dedupe'))`);
  return one(em.execute<Row[]>(
    `select * from leads where status <> 'disqualified'
       and ((?::text is not null and lower(email) = lower(?::text))
         or (${SQUASH('company')} = ? and ${SQUASH('contact_name')} = ?))
     order by created_at, id limit 1`,
    [input.email ?? null, input.email ?? null, squash(input.company), squash(input.contactName)],
  ));
}

export async function insertLead(em: EntityManager, id: string, input: CreateLeadInput, ownerId: string | null, by: string): Promise<Row> {
  const notes = input.note ? [{ at: new Date().toISOString(), by, text: input.note }] : [];
  const rows = await em.execute<Row[]>(
    `insert into leads (id, source, company, contact_name, email, phone, region, product_interest, estimated_value_cents, owner_id, notes)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning *`,
    [id, input.source, input.company, input.contactName, input.email ?? null, input.phone ?? null, input.region ?? null,
      input.productInterest ?? null, input.estimatedValueCents ?? null, ownerId, JSON.stringify(notes)],
  );
  return rows[0]!;
}
