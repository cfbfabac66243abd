import { LockMode, raw, sql, type EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../../entities/crm/customer.entity';
import { Product, Supplier } from '../../entities/crm/catalogue.entity';
import { Quote, QuoteLine, QuoteVersion } from '../../entities/crm/quote.entity';

/*
 * What the order aggregate reads and writes of other aggregates' records, in one place until their
 * repositories exist on this branch. Each function names the repository it moves to.
 */

// TODO(merge): belongs to QuoteRepository
/** The quote, locked for this transaction: converting it twice at once must find one order. */
export function lockQuoteForOrder(em: EntityManager, quoteId: string): Promise<Quote | null> {
  return em.findOne(Quote, quoteId, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

// TODO(merge): belongs to QuoteRepository
/** A version of a quote with its lines in order; null when the quote has no such version. */
export async function findQuoteVersionWithLines(
  em: EntityManager, quoteId: string, version: number,
): Promise<{ version: QuoteVersion; lines: QuoteLine[] } | null> {
  const found = await em.findOne(QuoteVersion, { quoteId, version });
  if (!found) return null;
  return { version: found, lines: await em.find(QuoteLine, { quoteVersionId: found.id }, { orderBy: { lineNo: 'asc' } }) };
}

// TODO(merge): belongs to QuoteRepository
export function acceptQuote(quote: Quote): void {
  quote.status = 'accepted';
}

// TODO(merge): belongs to CustomerRepository
export function findOrderCustomer(em: EntityManager, customerId: string): Promise<Customer | null> {
  return em.findOne(Customer, customerId);
}

// TODO(merge): belongs to CustomerRepository
/**
 * Adds delivered units to what the customer has bought: relative to the stored value in one
 * statement, so two deliveries of the same customer at once both count.
 */
export async function addPurchasedVolume(em: EntityManager, customerId: string, units: number): Promise<void> {
  await em.nativeUpdate(Customer, customerId, { purchasedVolume: raw('purchased_volume + ?', [units]), updatedAt: sql.now() });
}

// TODO(merge): belongs to CatalogueRepository
/** The first supplier (by id) serving the product line; none means purchasing picks one by hand. */
export function findFirstSupplierOf(em: EntityManager, productLine: string): Promise<Supplier | null> {
  return em.findOne(Supplier, { productLines: { $contains: [productLine] } }, { orderBy: { id: 'asc' } });
}

// TODO(merge): belongs to CatalogueRepository
/** List prices of the products among `ids` that exist. */
export async function listPricesOf(em: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const products = await em.find(Product, { id: { $in: [...new Set(ids)] } });
  return new Map(products.map((product) => [product.id, product.listPriceCents]));
}
