import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import { DEFAULT_QUOTE_PRICING_POLICY } from '../rules/defaults';
import { priceQuote, type PriceTier, type PricedQuote } from '../rules/quote-pricing';
import type { PriceQuoteVersionParams, PricedQuoteVersion } from './quote-schemas';
import { CustomerRepository } from '../../../db/crm/customers';
import { findQuoteVersion, loadSellableProducts, lockQuote, type QuoteRow } from './quote-rows';
import { decideByRule, refuseSale } from './sales-failure';

interface QuoteLineRow { id: string; line_no: number; product_id: string; quantity: number }
interface CustomerRow { id: string; name: string; grade: PricedQuoteVersion['customer']['grade']; locale: 'zh-CN' | 'en'; discount_rate: string | number; purchased_volume: number }

export function createQuotePricingActivities(deps: ActivityDeps) {
  return {
    /**
     * Prices a quote version from the catalogue (list prices, tiers) and the customer (discount
     * rate, volume bought before) and writes the prices onto its lines and totals; pricing again
     * writes the same figures. The rep's requested discount (quote_versions.requested_discount_percent)
     * is added to the customer's rate. `discountPercent` is everything below list price (tiers
     * included); `negotiatedDiscountPercent` is what sales granted on top of the price list
     * (customer + requested discount), which is what the built-in approval policy judges: volume
     * tiers are the price list, not a concession needing a manager.
     */
    async 'crm.priceQuoteVersion'({ quoteId, version, policy }: PriceQuoteVersionParams): Promise<PricedQuoteVersion> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quote = await lockQuote(tx, quoteId);
        const quoteVersion = await findQuoteVersion(tx, quoteId, version) ?? refuseSale('quote.unknown', `quote ${quoteId} has no version ${version}`);
        const lines = await tx.execute<QuoteLineRow[]>(
          'select id, line_no, product_id, quantity from quote_lines where quote_version_id = ? order by line_no', [quoteVersion.id],
        );
        const products = await loadSellableProducts(tx, lines.map((line) => line.product_id));
        const tiers = await loadTiers(tx, [...products.keys()]);
        const customer = await loadCustomer(tx, quote.customer_id);
        const requestedPercent = Number(quoteVersion.requested_discount_percent);
        const discountBasisPoints = Math.round(Number(customer.discount_rate) * 10_000) + Math.round(requestedPercent * 100);
        const priced = decideByRule(() => priceQuote({
          lines: lines.map((line) => ({
            productId: line.product_id, quantity: line.quantity,
            listPriceCents: Number(products.get(line.product_id)!.list_price_cents), tiers: tiers.get(line.product_id) ?? [],
          })),
          customer: { discountRate: discountBasisPoints / 10_000, purchasedVolume: customer.purchased_volume },
        }, policy ?? DEFAULT_QUOTE_PRICING_POLICY));
        await writePrices(tx, quoteVersion.id, lines, priced);
        return {
          quoteId, version, status: quote.status,
          customer: { id: customer.id, name: customer.name, grade: customer.grade, locale: customer.locale, email: await new CustomerRepository(tx).findEmail(customer.id) },
          owner: await findQuoteOwner(tx, quote),
          lines: lines.map((line, index) => {
            const product = products.get(line.product_id)!;
            const price = priced.lines[index]!;
            return {
              lineNo: line.line_no, productId: line.product_id, sku: product.sku, name: product.name,
              quantity: line.quantity, unitPriceCents: price.unitPriceCents, lineTotalCents: price.totalCents,
            };
          }),
          listTotalCents: priced.listTotalCents,
          totalCents: priced.totalCents,
          discountPercent: priced.effectiveDiscountPercent,
          negotiatedDiscountPercent: priced.negotiatedDiscountPercent,
          requestedDiscountPercent: requestedPercent,
        };
      });
    },
  };
}

async function loadTiers(em: EntityManager, productIds: string[]): Promise<Map<string, PriceTier[]>> {
  const rows = await em.execute<{ product_id: string; min_quantity: number; unit_price_cents: string | number }[]>(
    `select product_id, min_quantity, unit_price_cents from price_tiers
     where product_id in (select jsonb_array_elements_text(?::jsonb)) order by product_id, min_quantity`,
    [JSON.stringify(productIds)],
  );
  const tiers = new Map<string, PriceTier[]>();
  for (const row of rows) {
    tiers.set(row.product_id, [...tiers.get(row.product_id) ?? [], { minQuantity: row.min_quantity, unitPriceCents: Number(row.unit_price_cents) }]);
  }
  return tiers;
}

async function loadCustomer(em: EntityManager, customerId: string): Promise<CustomerRow> {
  const rows = await em.execute<CustomerRow[]>(
    'select id, name, grade, locale, discount_rate, purchased_volume from customers where id = ?', [customerId],
  );
  return rows[0] ?? refuseSale('quote.unknown', `the customer ${customerId} of the quote is gone`);
}

async function findQuoteOwner(em: EntityManager, quote: QuoteRow): Promise<PricedQuoteVersion['owner']> {
  if (quote.owner_id === null) return null;
  const rows = await em.execute<{ id: string; name: string; email: string }[]>('select id, name, email from engine_user where id = ?', [quote.owner_id]);
  return rows[0] ?? null;
}

async function writePrices(em: EntityManager, versionId: string, lines: QuoteLineRow[], priced: PricedQuote): Promise<void> {
  for (const [index, line] of lines.entries()) {
    const price = priced.lines[index]!;
    await em.execute(
      `update quote_lines set list_price_cents = ?, unit_price_cents = ?, discount_cents = ?, line_total_cents = ? where id = ?`,
      [price.listPriceCents, price.unitPriceCents, price.discountCents, price.totalCents, line.id],
    );
  }
  await em.execute(
    'update quote_versions set list_total_cents = ?, total_cents = ?, discount_percent = ? where id = ?',
    [priced.listTotalCents, priced.totalCents, priced.effectiveDiscountPercent, versionId],
  );
}
