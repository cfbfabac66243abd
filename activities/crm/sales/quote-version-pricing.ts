import { Type } from 'typebox';
import { DEFAULT_LOCALE, matchLocale } from '../../../contracts/locales';
import { CatalogueRepository } from '../../../db/crm/catalogue/catalogue.repository';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Product } from '../../../db/crm/catalogue/catalogue.entity';
import type { Quote, QuoteVersion } from '../../../db/crm/quotes/quote.entity';
import { QuoteRepository } from '../../../db/crm/quotes/quote.repository';
import { PricedQuoteVersion, QuoteVersionRef } from '../../../db/crm/quotes/quote.schema';
import { defineActivity } from '../../activity-definition';
import { CustomerRepository } from '../../../db/crm/customers';
import { DEFAULT_QUOTE_PRICING_POLICY } from '../rules/defaults';
import { priceQuote, QuotePricingPolicy } from '../rules/quote-pricing';
import { decideByRule, refuseSale } from './sales-failure';

export const PriceQuoteVersionParams = Type.Object(
  {
    ...QuoteVersionRef,
    policy: Type.Optional(QuotePricingPolicy),
  },
  { additionalProperties: false },
);

/**
 * Prices a quote version from the catalogue (list prices, tiers) and the customer (discount
 * rate, volume bought before) and writes the prices onto its lines and totals; pricing again
 * writes the same figures. The rep's requested discount (quote_versions.requested_discount_percent)
 * is added to the customer's rate. `discountPercent` is everything below list price (tiers
 * included); `negotiatedDiscountPercent` is what sales granted on top of the price list
 * (customer + requested discount), which is what the built-in approval policy judges: volume
 * tiers are the price list, not a concession needing a manager.
 */
export const priceQuoteVersionActivity = defineActivity({
  name: 'crm.priceQuoteVersion',
  contract: {
    description:
      "Price a quote version from list prices, tiers, the customer's discount and the rep's requested discount, write the prices back, and return it with its customer and owner; policy: tier basis, discount on tiered lines.",
    params: PriceQuoteVersionParams,
    result: PricedQuoteVersion,
  },
  async run({ quoteId, version, policy }, deps) {
    return deps.orm.em.fork().transactional(async (tx) => {
      const quotes = new QuoteRepository(tx);
      const quote = (await quotes.lock(quoteId)) ?? refuseSale('quote.unknown', `no quote ${quoteId}`);
      const quoteVersion =
        (await quotes.findVersion(quoteId, version)) ??
        refuseSale('quote.unknown', `quote ${quoteId} has no version ${version}`);
      const { customer, owner, products, priced } = await priceQuoteVersion(tx, quote, quoteVersion, policy);
      return {
        quoteId,
        version,
        status: quote.status,
        customer: {
          id: customer.id,
          name: customer.name,
          grade: customer.grade,
          locale: customer.locale,
          email: await new CustomerRepository(tx).findEmail(customer.id),
        },
        owner: owner
          ? {
              id: owner.id,
              name: owner.name,
              email: owner.email,
              locale: matchLocale(String(owner.attributes['locale'] ?? '')) ?? DEFAULT_LOCALE,
            }
          : null,
        lines: quoteVersion.lines.getItems().map((line, index) => {
          const product = products.get(line.product.id)!;
          const price = priced.lines[index]!;
          return {
            lineNo: line.lineNo,
            productId: product.id,
            sku: product.sku,
            name: product.name,
            quantity: line.quantity,
            unitPriceCents: price.unitPriceCents,
            lineTotalCents: price.totalCents,
          };
        }),
        listTotalCents: priced.listTotalCents,
        totalCents: priced.totalCents,
        discountPercent: priced.effectiveDiscountPercent,
        negotiatedDiscountPercent: priced.negotiatedDiscountPercent,
        requestedDiscountPercent: quoteVersion.requestedDiscountPercent,
      };
    });
  },
});

/**
 * Prices a version (loaded with its lines) of a locked quote and writes the prices onto it: the
 * one pricing of a quote, run by the process and by the API when a version is written, so a
 * quote shows the same figures before and after its process ran.
 */
export async function priceQuoteVersion(
  tx: EntityManager,
  quote: Quote,
  quoteVersion: QuoteVersion,
  policy: QuotePricingPolicy | undefined,
) {
  const quotes = new QuoteRepository(tx);
  const lines = quoteVersion.lines.getItems();
  const products = await loadSellableProducts(
    new CatalogueRepository(tx),
    lines.map((line) => line.product.id),
  );
  const { customer, owner } = await quotes.findParties(quote);
  if (!customer) refuseSale('quote.unknown', `the customer ${quote.customer.id} of the quote is gone`);
  const discountBasisPoints =
    Math.round(customer.discountRate * 10_000) + Math.round(quoteVersion.requestedDiscountPercent * 100);
  const priced = decideByRule(() =>
    priceQuote(
      {
        lines: lines.map((line) => {
          const product = products.get(line.product.id)!;
          return {
            productId: product.id,
            quantity: line.quantity,
            listPriceCents: product.listPriceCents,
            tiers: product.priceTiers
              .getItems()
              .map((tier) => ({ minQuantity: tier.minQuantity, unitPriceCents: tier.unitPriceCents })),
          };
        }),
        customer: { discountRate: discountBasisPoints / 10_000, purchasedVolume: customer.purchasedVolume },
      },
      policy ?? DEFAULT_QUOTE_PRICING_POLICY,
    ),
  );
  await quotes.writePrices(quoteVersion, {
    lines: priced.lines,
    listTotalCents: priced.listTotalCents,
    totalCents: priced.totalCents,
    discountPercent: priced.effectiveDiscountPercent,
  });
  return { customer, owner, products, priced };
}

/** The products by id, with their tiers; an unknown or inactive one cannot be quoted or sold. */
export async function loadSellableProducts(
  catalogue: CatalogueRepository,
  productIds: string[],
): Promise<Map<string, Product>> {
  const products = await catalogue.productsWithTiers(productIds);
  for (const id of productIds) {
    if (!products.get(id)?.active)
      refuseSale('quote.product-unknown', `product ${id} is ${products.has(id) ? 'inactive' : 'unknown'}`);
  }
  return products;
}
