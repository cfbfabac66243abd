import { priceQuote } from '../../../activities/crm/rules/quote-pricing';

/**
 * The discount (cents) the customer's rate takes off each line of a direct order, by the quote
 * pricing rule so both round alike: each line's unit price (given or list) is its price list, no
 * tiers, since an order names its prices.
 */
export function discountCustomerRate(
  lines: readonly { productId: string; quantity: number; unitPriceCents: number }[],
  discountRate: number,
): number[] {
  if (discountRate === 0 || lines.length === 0) return lines.map(() => 0);
  const priced = priceQuote(
    {
      lines: lines.map((line) => ({
        productId: line.productId,
        quantity: line.quantity,
        listPriceCents: line.unitPriceCents,
      })),
      customer: { discountRate, purchasedVolume: 0 },
    },
    { tierBasis: 'quantity', discountOnTieredLines: true },
  );
  return priced.lines.map((line) => line.discountCents);
}
