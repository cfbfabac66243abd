import type { EntityManager } from '@mikro-orm/postgresql';
import type { LeadNote } from '../../../db/entities/crm/lead.entity';
import type { LeadSummary } from './lead-schemas';
import { refuseSale } from './sales-failure';

export interface LeadRow {
  id: string;
  source: string;
  company: string;
  contact_name: string;
  email: string | null;
  phone: string | null;
  region: string | null;
  product_interest: string | null;
  estimated_value_cents: string | number | null;
  status: LeadSummary['status'];
  owner_id: string | null;
  customer_id: string | null;
  notes: SalesLeadNote[] | null;
}

/** A lead note as the sales activities write it: the entity's note plus the key that makes it once-only. */
export type SalesLeadNote = LeadNote & { key?: string };

/** The lead, locked for this transaction: every writer of a lead takes this lock first. */
export async function lockLead(em: EntityManager, leadId: string): Promise<LeadRow> {
  const rows = await em.execute<LeadRow[]>('select * from leads where id = ? for update', [leadId]);
  return rows[0] ?? refuseSale('lead.unknown', `no lead ${leadId}`);
}

export function toLeadSummary(lead: LeadRow): LeadSummary {
  return {
    id: lead.id, company: lead.company, contactName: lead.contact_name, email: lead.email,
    region: lead.region, productInterest: lead.product_interest,
    // bigint arrives as a string from pg; lead values are far below 2^53.
    estimatedValueCents: lead.estimated_value_cents === null ? null : Number(lead.estimated_value_cents),
    status: lead.status,
  };
}

/** Appends a note to the lead's history; notes are kept, never rewritten. */
export async function appendLeadNote(em: EntityManager, leadId: string, note: SalesLeadNote): Promise<void> {
  await em.execute(
    `update leads set notes = coalesce(notes, '[]'::jsonb) || jsonb_build_array(?::jsonb), updated_at = now() where id = ?`,
    [JSON.stringify(note), leadId],
  );
}
