import type { EntityManager } from '@mikro-orm/postgresql';
import type { QuoteStatus } from './quote-schemas';
import { refuseSale } from './sales-failure';

export interface QuoteRow {
  id: string;
  customer_id: string;
  owner_id: string | null;
  status: QuoteStatus;
  current_version: number;
}

/** The quote, locked for this transaction: every writer of a quote or its versions takes this lock first. */
export async function lockQuote(em: EntityManager, quoteId: string): Promise<QuoteRow> {
  const rows = await em.execute<QuoteRow[]>(
    'select id, customer_id, owner_id, status, current_version from quotes where id = ? for update', [quoteId],
  );
  return rows[0] ?? refuseSale('quote.unknown', `no quote ${quoteId}`);
}

export interface QuoteVersionRow { id: string; version: number; requested_discount_percent: string | number }

export async function findQuoteVersion(em: EntityManager, quoteId: string, version: number): Promise<QuoteVersionRow | undefined> {
  const rows = await em.execute<QuoteVersionRow[]>(
    'select id, version, requested_discount_percent from quote_versions where quote_id = ? and version = ?', [quoteId, version],
  );
  return rows[0];
}

export interface ProductRow { id: string; sku: string; name: string; product_line: string; list_price_cents: string | number; active: boolean }

/** The products by id; an unknown or inactive one cannot be quoted or sold. */
export async function loadSellableProducts(em: EntityManager, productIds: string[]): Promise<Map<string, ProductRow>> {
  const rows = await em.execute<ProductRow[]>(
    `select id, sku, name, product_line, list_price_cents, active from products
     where id in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify([...new Set(productIds)])],
  );
  const products = new Map(rows.map((row) => [row.id, row]));
  for (const id of productIds) {
    if (!products.get(id)?.active) refuseSale('quote.product-unknown', `product ${id} is ${products.has(id) ? 'inactive' : 'unknown'}`);
  }
  return products;
}
