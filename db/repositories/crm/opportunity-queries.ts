import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateOpportunityInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, isoDay, num, one, str } from './row-values';

/** The win probability a stage implies when the caller does not give one. */
export const STAGE_PROBABILITY: Record<string, number> = {
  prospecting: 10, qualification: 20, proposal: 50, negotiation: 75, won: 100, lost: 0,
};

export function toOpportunity(row: Row) {
  return {
    id: String(row['id']), customerId: String(row['customer_id']), leadId: str(row['lead_id']), name: str(row['name']),
    stage: String(row['stage']), probability: num(row['probability']), amountCents: num(row['amount_cents']),
    ownerId: str(row['owner_id']), expectedCloseDate: isoDay(row['expected_close_date']),
    createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

export interface OpportunityFilters { stage?: string; customerId?: string; ownerId?: string; cursor?: string; limit?: number }

export function listOpportunities(em: EntityManager, f: OpportunityFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.stage, 't.stage = ?').maybe(f.customerId, 't.customer_id = ?').maybe(f.ownerId, 't.owner_id = ?');
  return queryRowPage(em, { from: 'opportunities', where, cursor: f.cursor, limit: f.limit });
}

export function getOpportunity(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from opportunities where id = ?', [id]));
}

export async function insertOpportunity(em: EntityManager, id: string, input: CreateOpportunityInput, ownerId: string): Promise<Row> {
  const stage = input.stage ?? 'prospecting';
  const rows = await em.execute<Row[]>(
    `insert into opportunities (id, customer_id, lead_id, name, stage, probability, amount_cents, owner_id, expected_close_date)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::date) returning *`,
    [id, input.customerId, input.leadId ?? null, input.name ?? null, stage, input.probability ?? STAGE_PROBABILITY[stage] ?? 10,
      input.amountCents ?? 0, ownerId, input.expectedCloseDate ?? null],
  );
  return rows[0]!;
}

export function updateOpportunityStage(em: EntityManager, id: string, stage: string, probability: number | undefined): Promise<Row | null> {
  return one(em.execute<Row[]>(
    'update opportunities set stage = ?, probability = ?, updated_at = now() where id = ? returning *',
    [stage, probability ?? STAGE_PROBABILITY[stage] ?? 0, id],
  ));
}
