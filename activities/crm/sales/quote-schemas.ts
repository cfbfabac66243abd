import { Type, type Static } from 'typebox';
import { QuotePricingPolicy } from '../rules/quote-pricing';

/* Parameters and results of the quote activities (quotes.ts, quote-pricing.ts). */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Version = Type.Integer({ minimum: 1 });
const Cents = Type.Integer({ minimum: 0 });

export const QuoteStatus = Type.Enum(['draft', 'submitted', 'approved', 'rejected', 'changes-requested', 'accepted']);
export type QuoteStatus = Static<typeof QuoteStatus>;

export const RequestedDiscountPercent = Type.Number({
  minimum: 0, exclusiveMaximum: 100,
  description: 'Extra discount the rep asks for, in percent with at most 2 decimals; pricing adds it to the customer\'s own rate',
});

export const PriceQuoteVersionParams = Type.Object({
  quoteId: Id,
  version: Version,
  policy: Type.Optional(QuotePricingPolicy),
}, { additionalProperties: false });
export type PriceQuoteVersionParams = Static<typeof PriceQuoteVersionParams>;

export const PricedQuoteVersion = Type.Object({
  quoteId: Type.String(),
  version: Type.Integer(),
  status: QuoteStatus,
  customer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    grade: Type.Enum(['VIP', 'A', 'B', 'C']),
    locale: Type.Enum(['zh-CN', 'en']),
    email: Type.Union([Type.String(), Type.Null()], { description: 'The primary contact\'s address, else any contact\'s' }),
  }),
  owner: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()]),
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(),
    productId: Type.String(),
    sku: Type.String(),
    name: Type.String(),
    quantity: Type.Integer(),
    unitPriceCents: Cents,
    lineTotalCents: Cents,
  })),
  listTotalCents: Cents,
  totalCents: Cents,
  discountPercent: Type.Number({ description: '(list - total) / list * 100, two decimals: tiers, customer and requested discount together' }),
  negotiatedDiscountPercent: Type.Number({ description: 'Customer + requested discount off the price list (tier prices), two decimals: what approval policies judge' }),
  requestedDiscountPercent: Type.Number(),
});
export type PricedQuoteVersion = Static<typeof PricedQuoteVersion>;

export const SetQuoteStatusParams = Type.Object({
  quoteId: Id,
  status: Type.Enum(['submitted', 'approved', 'rejected', 'changes-requested', 'accepted']),
  actorId: Type.Optional(Type.String({ minLength: 1 })),
  reason: Type.Optional(Type.String({ maxLength: 10_000 })),
}, { additionalProperties: false });
export type SetQuoteStatusParams = Static<typeof SetQuoteStatusParams>;

export const QuoteStatusResult = Type.Object({ quoteId: Type.String(), status: QuoteStatus, version: Type.Integer() });
export type QuoteStatusResult = Static<typeof QuoteStatusResult>;

export const ReviseQuoteParams = Type.Object({
  quoteId: Id,
  fromVersion: Version,
  lines: Type.Optional(Type.Array(Type.Object({
    productId: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
  }, { additionalProperties: false }), { minItems: 1, description: 'The new version\'s lines; absent: copy the old version\'s' })),
  requestedDiscountPercent: Type.Optional(RequestedDiscountPercent),
  changeReason: Type.String({ minLength: 1, maxLength: 10_000 }),
  actorId: Type.String({ minLength: 1 }),
}, { additionalProperties: false });
export type ReviseQuoteParams = Static<typeof ReviseQuoteParams>;

export const RevisedQuote = Type.Object({ quoteId: Type.String(), version: Type.Integer() });
export type RevisedQuote = Static<typeof RevisedQuote>;
