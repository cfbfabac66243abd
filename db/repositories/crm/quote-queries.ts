import type { EntityManager } from '@mikro-orm/postgresql';
import type { QuoteRequestInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, num, one, str } from './row-values';

export function toQuote(row: Row) {
  return {
    id: String(row['id']), customerId: String(row['customer_id']), opportunityId: str(row['opportunity_id']),
    ownerId: str(row['owner_id']), status: String(row['status']), currentVersion: num(row['current_version']),
    createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

const toQuoteLine = (row: Row) => ({
  lineNo: num(row['line_no']), productId: String(row['product_id']), quantity: num(row['quantity']),
  listPriceCents: num(row['list_price_cents']), unitPriceCents: num(row['unit_price_cents']),
  discountCents: num(row['discount_cents']), lineTotalCents: num(row['line_total_cents']),
});

export interface QuoteFilters { customerId?: string; status?: string; ownerId?: string; cursor?: string; limit?: number }

export function listQuotes(em: EntityManager, f: QuoteFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.customerId, 't.customer_id = ?').maybe(f.status, 't.status = ?').maybe(f.ownerId, 't.owner_id = ?');
  return queryRowPage(em, { from: 'quotes', where, cursor: f.cursor, limit: f.limit });
}

export function getQuote(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from quotes where id = ?', [id]));
}

/** Every version of a quote, oldest first, each with its lines. */
export async function listQuoteVersions(em: EntityManager, quoteId: string) {
  const versions = await em.execute<Row[]>('select * from quote_versions where quote_id = ? order by version', [quoteId]);
  const lines = versions.length === 0 ? [] : await em.execute<Row[]>(
    'select * from quote_lines where quote_version_id in (?) order by line_no', [versions.map((v) => v['id'])],
  );
  return versions.map((v) => ({
    version: num(v['version']), listTotalCents: num(v['list_total_cents']), totalCents: num(v['total_cents']),
    discountPercent: num(v['discount_percent']), changeReason: str(v['change_reason']), createdBy: str(v['created_by']),
    createdAt: iso(v['created_at']),
    lines: lines.filter((l) => l['quote_version_id'] === v['id']).map(toQuoteLine),
  }));
}

/**
 * A submitted quote at version 1. Prices stay 0: the quote-approval process prices the lines
 * (tiers, customer discount) and records the totals.
 */
export async function insertSubmittedQuote(em: EntityManager, ids: { quote: string; version: string; line: () => string }, input: QuoteRequestInput, ownerId: string): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into quotes (id, customer_id, opportunity_id, owner_id, status, current_version) values (?, ?, ?, ?, 'submitted', 1) returning *`,
    [ids.quote, input.customerId, input.opportunityId ?? null, ownerId],
  );
  await em.execute(
    `insert into quote_versions (id, quote_id, version, total_cents, requested_discount_percent, change_reason, created_by) values (?, ?, 1, 0, ?, ?, ?)`,
    [ids.version, ids.quote, input.requestedDiscountPercent ?? 0, input.changeReason ?? null, ownerId],
  );
  for (const [index, line] of input.lines.entries()) {
    await em.execute(
      `insert into quote_lines (id, quote_version_id, line_no, product_id, quantity, unit_price_cents, line_total_cents) values (?, ?, ?, ?, ?, 0, 0)`,
      [ids.line(), ids.version, index + 1, line.productId, line.quantity],
    );
  }
  return rows[0]!;
}
