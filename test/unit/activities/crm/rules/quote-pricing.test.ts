import { describe, expect, it } from '@jest/globals';
import { DEFAULT_QUOTE_PRICING_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';
import { priceQuote, type QuoteInput, type QuoteLineInput } from '../../../../../activities/crm/rules/quote-pricing';

const TIERED: QuoteLineInput = {
  productId: 'erp',
  quantity: 10,
  listPriceCents: 10_000,
  tiers: [
    { minQuantity: 50, unitPriceCents: 8_000 },
    { minQuantity: 10, unitPriceCents: 9_000 },
  ],
};
const customer = (discountRate: number, purchasedVolume = 0) => ({ discountRate, purchasedVolume });

describe('priceQuote', () => {
  it('prices tiers by purchase history, discounts each line and totals in cents', () => {
    const quote = priceQuote(
      { lines: [TIERED, { productId: 'crm', quantity: 3, listPriceCents: 3_333 }], customer: customer(0.05, 45) },
      POLICY,
    );
    expect(quote).toEqual({
      lines: [
        {
          productId: 'erp',
          quantity: 10,
          listPriceCents: 10_000,
          unitPriceCents: 8_000,
          tierMinQuantity: 50,
          grossCents: 80_000,
          discountCents: 4_000,
          totalCents: 76_000,
        },
        // 5 % of 99.99 is 4.9995: half-up to 5.00.
        {
          productId: 'crm',
          quantity: 3,
          listPriceCents: 3_333,
          unitPriceCents: 3_333,
          tierMinQuantity: null,
          grossCents: 9_999,
          discountCents: 500,
          totalCents: 9_499,
        },
      ],
      listTotalCents: 109_999,
      discountCents: 4_500,
      totalCents: 85_499,
      // 245.00 below 1 099.99 is 22.2729… %
      effectiveDiscountPercent: 22.27,
      negotiatedDiscountPercent: 5,
    });
  });

  it.each([
    [9, 0, 10_000, null],
    [10, 0, 9_000, 10],
    [49, 0, 9_000, 10],
    [50, 0, 8_000, 50],
    [10, 39, 9_000, 10],
    [10, 40, 8_000, 50],
  ])('quantity %i after %i bought pays %i (tier %p)', (quantity, purchasedVolume, unitPriceCents, tierMinQuantity) => {
    const [line] = priceQuote(
      { lines: [{ ...TIERED, quantity }], customer: customer(0, purchasedVolume) },
      POLICY,
    ).lines;
    expect(line).toMatchObject({ unitPriceCents, tierMinQuantity });
  });

  it('follows a changed policy: tiers by this quantity only, no discount on tiered lines', () => {
    const input: QuoteInput = { lines: [TIERED], customer: customer(0.1, 100) };
    expect(priceQuote(input, POLICY).lines[0]).toMatchObject({
      unitPriceCents: 8_000,
      discountCents: 8_000,
      totalCents: 72_000,
    });
    expect(priceQuote(input, { tierBasis: 'quantity', discountOnTieredLines: false }).lines[0]).toMatchObject({
      unitPriceCents: 9_000,
      discountCents: 0,
      totalCents: 90_000,
    });
  });

  it('keeps the total the exact sum of the line totals where floats would drift', () => {
    // 0.1 + 0.2 style amounts: ten lines of 0.10 and 0.20 at 7.5 %.
    const lines = Array.from({ length: 10 }, (_, i) => ({
      productId: `p${i}`,
      quantity: 1,
      listPriceCents: i % 2 ? 20 : 10,
    }));
    const quote = priceQuote({ lines, customer: customer(0.075) }, POLICY);
    expect(quote.lines.map((line) => line.discountCents)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    expect(quote.totalCents).toBe(135);
    expect(quote.totalCents).toBe(quote.lines.reduce((sum, line) => sum + line.totalCents, 0));
    expect(quote.effectiveDiscountPercent).toBe(10);
  });

  it('gives no discount and 0 % on a free quote', () => {
    const quote = priceQuote(
      { lines: [{ productId: 'free', quantity: 1, listPriceCents: 0 }], customer: customer(0.2) },
      POLICY,
    );
    expect(quote).toMatchObject({ totalCents: 0, discountCents: 0, effectiveDiscountPercent: 0 });
  });

  it.each([
    ['a negative quantity', { lines: [{ ...TIERED, quantity: -1 }], customer: customer(0) }, '/lines/0/quantity'],
    ['a fractional quantity', { lines: [{ ...TIERED, quantity: 1.5 }], customer: customer(0) }, '/lines/0/quantity'],
    [
      'a price in fractions of a cent',
      { lines: [{ ...TIERED, listPriceCents: 99.5 }], customer: customer(0) },
      '/lines/0/listPriceCents',
    ],
    ['no lines', { lines: [], customer: customer(0) }, '/lines'],
    ['a discount of 100 %', { lines: [TIERED], customer: customer(1) }, '/customer/discountRate'],
    ['a discount finer than basis points', { lines: [TIERED], customer: customer(0.12345) }, '/customer/discountRate'],
    [
      'two tiers from the same quantity',
      {
        lines: [
          {
            ...TIERED,
            tiers: [
              { minQuantity: 5, unitPriceCents: 1 },
              { minQuantity: 5, unitPriceCents: 2 },
            ],
          },
        ],
        customer: customer(0),
      },
      '/lines/0/tiers/1/minQuantity',
    ],
    [
      'a tier above list price',
      { lines: [{ ...TIERED, tiers: [{ minQuantity: 5, unitPriceCents: 10_001 }] }], customer: customer(0) },
      '/lines/0/tiers/0/unitPriceCents',
    ],
    [
      'an amount beyond exact integers',
      { lines: [{ productId: 'x', quantity: 1_000_000, listPriceCents: 2 ** 50 }], customer: customer(0) },
      '/lines/0',
    ],
  ])('refuses %s', (_case, input, path) => {
    expect(() => priceQuote(input as QuoteInput, POLICY)).toThrow(
      expect.objectContaining({
        code: 'rule.invalid-input',
        issues: expect.arrayContaining([expect.objectContaining({ path })]),
      }),
    );
  });

  it('refuses an unknown tier basis', () => {
    expect(() =>
      priceQuote({ lines: [TIERED], customer: customer(0) }, { ...POLICY, tierBasis: 'yearly' as 'quantity' }),
    ).toThrow(
      expect.objectContaining({
        code: 'rule.invalid-policy',
        message: expect.stringContaining('quantity, quantity-plus-purchased'),
      }),
    );
  });
});
