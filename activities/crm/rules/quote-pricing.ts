import { Type, type Static } from 'typebox';
import { checkRuleData } from './check-rule-data';
import { refuse } from './rule-error';

// Money is integer cents (minor units) everywhere: sums of integers cannot drift, and the one
// division (a percentage) is done in BigInt with explicit half-up rounding, once per line.
const Cents = Type.Integer({ minimum: 0 });

export const PriceTier = Type.Object(
  {
    minQuantity: Type.Integer({ minimum: 1 }),
    unitPriceCents: Cents,
  },
  { additionalProperties: false },
);
export type PriceTier = Static<typeof PriceTier>;

export const QuoteLineInput = Type.Object(
  {
    productId: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    listPriceCents: Cents,
    tiers: Type.Optional(Type.Array(PriceTier)),
  },
  { additionalProperties: false },
);
export type QuoteLineInput = Static<typeof QuoteLineInput>;

export const QuoteInput = Type.Object(
  {
    lines: Type.Array(QuoteLineInput, { minItems: 1 }),
    customer: Type.Object(
      {
        discountRate: Type.Number({
          minimum: 0,
          exclusiveMaximum: 1,
          description: 'Customer-specific rate, 0.05 = 5 %; at most 4 decimals (basis points)',
        }),
        purchasedVolume: Type.Integer({ minimum: 0, description: 'Units bought before this quote' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type QuoteInput = Static<typeof QuoteInput>;

export const QuotePricingPolicy = Type.Object(
  {
    tierBasis: Type.Enum(['quantity', 'quantity-plus-purchased'], {
      description: "What is compared with a tier's minQuantity",
    }),
    discountOnTieredLines: Type.Boolean({
      description: 'false: a line priced by a tier gets no customer discount on top',
    }),
  },
  { additionalProperties: false },
);
export type QuotePricingPolicy = Static<typeof QuotePricingPolicy>;

export const PricedQuoteLine = Type.Object({
  productId: Type.String(),
  quantity: Type.Integer(),
  listPriceCents: Cents,
  unitPriceCents: Cents,
  tierMinQuantity: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The tier that set the unit price; null = list price',
  }),
  grossCents: Cents,
  discountCents: Cents,
  totalCents: Cents,
});
export const PricedQuote = Type.Object({
  lines: Type.Array(PricedQuoteLine),
  listTotalCents: Cents,
  discountCents: Cents,
  totalCents: Cents,
  effectiveDiscountPercent: Type.Number({ description: 'Below list price, tiers and discount together; two decimals' }),
  negotiatedDiscountPercent: Type.Number({
    description:
      'The discount granted on top of the price list (tier prices), i.e. customer and requested discount; two decimals',
  }),
});
export type PricedQuote = Static<typeof PricedQuote>;
type PricedQuoteLine = Static<typeof PricedQuoteLine>;

/**
 * Prices a quote: each line's unit price is its best tier for the policy's basis (the line's
 * quantity, optionally plus what the customer already bought) or its list price; the customer's
 * discount is taken off each line, rounded half-up to the cent; the quote total is the sum of the
 * line totals, so the lines on the document always add up to the figure the customer signs.
 */
export function priceQuote(input: QuoteInput, policy: QuotePricingPolicy): PricedQuote {
  checkRuleData(QuoteInput, input, 'rule.invalid-input', 'quote');
  checkRuleData(QuotePricingPolicy, policy, 'rule.invalid-policy', 'quote pricing policy');
  const discountBasisPoints = toBasisPoints(input.customer.discountRate);
  const lines = input.lines.map((line, index) =>
    priceLine(line, index, input.customer.purchasedVolume, discountBasisPoints, policy),
  );
  const listTotalCents = safeSum(
    lines.map((line) => line.listPriceCents * line.quantity),
    '/lines',
  );
  const totalCents = safeSum(
    lines.map((line) => line.totalCents),
    '/lines',
  );
  const grossTotalCents = safeSum(
    lines.map((line) => line.grossCents),
    '/lines',
  );
  const discountCents = safeSum(
    lines.map((line) => line.discountCents),
    '/lines',
  );
  return {
    lines,
    listTotalCents,
    discountCents,
    totalCents,
    effectiveDiscountPercent: percentOf(listTotalCents - totalCents, listTotalCents),
    negotiatedDiscountPercent: percentOf(discountCents, grossTotalCents),
  };
}

function priceLine(
  line: QuoteLineInput,
  index: number,
  purchasedVolume: number,
  discountBasisPoints: bigint,
  policy: QuotePricingPolicy,
): PricedQuoteLine {
  const tiers = line.tiers ?? [];
  const minimums = new Set<number>();
  tiers.forEach((tier, t) => {
    if (minimums.has(tier.minQuantity))
      refuse(
        'rule.invalid-input',
        'quote',
        `/lines/${index}/tiers/${t}/minQuantity`,
        `two tiers start at ${tier.minQuantity}`,
      );
    if (tier.unitPriceCents > line.listPriceCents)
      refuse(
        'rule.invalid-input',
        'quote',
        `/lines/${index}/tiers/${t}/unitPriceCents`,
        'a tier price above the list price',
      );
    minimums.add(tier.minQuantity);
  });
  const basis = policy.tierBasis === 'quantity' ? line.quantity : line.quantity + purchasedVolume;
  const tier = tiers
    .filter((candidate) => candidate.minQuantity <= basis)
    .sort((a, b) => b.minQuantity - a.minQuantity)[0];
  const unitPriceCents = tier?.unitPriceCents ?? line.listPriceCents;
  const grossCents = unitPriceCents * line.quantity;
  if (!Number.isSafeInteger(grossCents))
    refuse('rule.invalid-input', 'quote', `/lines/${index}`, 'line amount is too large to price exactly');
  const discounted = tier === undefined || policy.discountOnTieredLines;
  const discountCents = discounted ? Number(divideHalfUp(BigInt(grossCents) * discountBasisPoints, 10_000n)) : 0;
  return {
    productId: line.productId,
    quantity: line.quantity,
    listPriceCents: line.listPriceCents,
    unitPriceCents,
    tierMinQuantity: tier?.minQuantity ?? null,
    grossCents,
    discountCents,
    totalCents: grossCents - discountCents,
  };
}

// A rate arrives as a JS number (0.075); beyond basis points it would be spurious precision
// that no price list states, and refusing it keeps every later step in integers.
function toBasisPoints(rate: number): bigint {
  const scaled = rate * 10_000;
  const basisPoints = Math.round(scaled);
  if (Math.abs(scaled - basisPoints) > 1e-6)
    refuse('rule.invalid-input', 'quote', '/customer/discountRate', `${rate} has more than 4 decimals`);
  return BigInt(basisPoints);
}

/** part / whole × 100 with two decimals, half-up; 0 of nothing is 0 %. */
function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Number(divideHalfUp(BigInt(part) * 10_000n, BigInt(whole))) / 100;
}

/** Non-negative numerator and positive denominator; halves round up. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function safeSum(amounts: number[], path: string): number {
  const sum = amounts.reduce((total, amount) => total + amount, 0);
  if (!Number.isSafeInteger(sum))
    refuse('rule.invalid-input', 'quote', path, 'quote total is too large to price exactly');
  return sum;
}
