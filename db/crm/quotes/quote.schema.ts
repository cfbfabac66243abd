import { Type, type Static } from 'typebox';
import { CustomerGrade, CustomerLocale, Id, Quantity } from '../fields/field-schemas';

/*
 * A quote as the API returns it and the quote activities take and return it: status, versions,
 * lines, the request that creates one and the activity contracts (except the pricing policy's,
 * which belongs to the pricing rule in activities/).
 */

const Iso = Type.String({ format: 'date-time' });
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Cents = Type.Integer({ minimum: 0 });
const Version = Type.Integer({ minimum: 1 });
/** Ids named by processes: longer than the API's, since a template may pass any stored id. */
const ProcessId = Type.String({ minLength: 1, maxLength: 200 });

export const QuoteStatus = Type.Enum(['draft', 'submitted', 'approved', 'rejected', 'changes-requested', 'accepted']);
export type QuoteStatus = Static<typeof QuoteStatus>;

const quoteFields = {
  id: Type.String(),
  customerId: Type.String(),
  opportunityId: NullableText,
  ownerId: NullableText,
  status: QuoteStatus,
  currentVersion: Type.Integer(),
  createdAt: Iso,
  updatedAt: Iso,
};
// Records stay open so a column added later reaches clients without a schema change here.
export const Quote = Type.Object(quoteFields, { additionalProperties: true, description: 'A quote.' });
export type Quote = Static<typeof Quote>;

export const QuoteLine = Type.Object({
  lineNo: Type.Integer(),
  productId: Type.String(),
  quantity: Type.Integer(),
  listPriceCents: Type.Integer(),
  unitPriceCents: Type.Integer({
    description: 'Priced when the API writes the version and again when the quote-approval process runs',
  }),
  discountCents: Type.Integer(),
  lineTotalCents: Type.Integer(),
});
export type QuoteLine = Static<typeof QuoteLine>;

export const QuoteVersion = Type.Object({
  version: Type.Integer(),
  listTotalCents: Type.Integer(),
  totalCents: Type.Integer(),
  discountPercent: Type.Number(),
  changeReason: NullableText,
  createdBy: NullableText,
  createdAt: Iso,
  lines: Type.Array(QuoteLine),
});
export type QuoteVersion = Static<typeof QuoteVersion>;

export const QuoteView = Type.Object(
  { ...quoteFields, versions: Type.Array(QuoteVersion) },
  {
    additionalProperties: true,
    description: 'A quote with every version and its lines.',
  },
);
export type QuoteView = Static<typeof QuoteView>;

export const RequestedDiscountPercent = Type.Number({
  minimum: 0,
  exclusiveMaximum: 100,
  description:
    "Extra discount the rep asks for, in percent with at most 2 decimals; pricing adds it to the customer's own rate",
});

export const QuoteLineRequest = Type.Object(
  {
    productId: Id,
    quantity: Quantity,
  },
  { additionalProperties: false },
);

/** A request for a quote, or for a new version of one (starts quote approval). */
export const QuoteRequestInput = Type.Object(
  {
    customerId: Id,
    opportunityId: Type.Optional(Id),
    lines: Type.Array(QuoteLineRequest, { minItems: 1, maxItems: 500 }),
    requestedDiscountPercent: Type.Optional(RequestedDiscountPercent),
    changeReason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type QuoteRequestInput = Static<typeof QuoteRequestInput>;

/** The next version of a sent-back quote as its owner writes it before finishing the revise task. */
export const QuoteVersionInput = Type.Object(
  {
    // Taken so a client may send the body it submitted the quote with; a revision cannot move the quote.
    customerId: Type.Optional(Id),
    opportunityId: Type.Optional(Id),
    lines: Type.Array(QuoteLineRequest, { minItems: 1, maxItems: 500 }),
    requestedDiscountPercent: Type.Optional(RequestedDiscountPercent),
    changeReason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type QuoteVersionInput = Static<typeof QuoteVersionInput>;

export const PricedQuoteVersion = Type.Object({
  quoteId: Type.String(),
  version: Type.Integer(),
  status: QuoteStatus,
  customer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    grade: CustomerGrade,
    locale: CustomerLocale,
    email: Type.Union([Type.String(), Type.Null()], {
      description: "The primary contact's address, else any contact's",
    }),
  }),
  owner: Type.Union([
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      locale: Type.Enum(['zh-CN', 'en'], { description: "The owner's mail locale (attributes.locale, default en)" }),
    }),
    Type.Null(),
  ]),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      productId: Type.String(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPriceCents: Cents,
      lineTotalCents: Cents,
    }),
  ),
  listTotalCents: Cents,
  totalCents: Cents,
  discountPercent: Type.Number({
    description: '(list - total) / list * 100, two decimals: tiers, customer and requested discount together',
  }),
  negotiatedDiscountPercent: Type.Number({
    description:
      'Customer + requested discount off the price list (tier prices), two decimals: what approval policies judge',
  }),
  requestedDiscountPercent: Type.Number(),
});
export type PricedQuoteVersion = Static<typeof PricedQuoteVersion>;

export const SetQuoteStatusParams = Type.Object(
  {
    quoteId: ProcessId,
    status: Type.Enum(['submitted', 'approved', 'rejected', 'changes-requested', 'accepted']),
    actorId: Type.Optional(Type.String({ minLength: 1 })),
    reason: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type SetQuoteStatusParams = Static<typeof SetQuoteStatusParams>;

export const QuoteStatusResult = Type.Object({ quoteId: Type.String(), status: QuoteStatus, version: Type.Integer() });
export type QuoteStatusResult = Static<typeof QuoteStatusResult>;

export const ReviseQuoteParams = Type.Object(
  {
    quoteId: ProcessId,
    fromVersion: Version,
    lines: Type.Optional(
      Type.Union([
        Type.Array(
          Type.Object(
            {
              productId: Type.String({ minLength: 1 }),
              quantity: Type.Integer({ minimum: 1 }),
            },
            { additionalProperties: false },
          ),
          {
            minItems: 1,
            description:
              "The new version's lines; absent or null: the draft's (PUT …/versions/:n), else the old version's",
          },
        ),
        Type.Null(),
      ]),
    ),
    requestedDiscountPercent: Type.Optional(
      Type.Union([RequestedDiscountPercent, Type.Null()], {
        description: "Absent or null: the draft's, else the old version's",
      }),
    ),
    changeReason: Type.String({ minLength: 1, maxLength: 10_000 }),
    actorId: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type ReviseQuoteParams = Static<typeof ReviseQuoteParams>;

export const RevisedQuote = Type.Object({ quoteId: Type.String(), version: Type.Integer() });
export type RevisedQuote = Static<typeof RevisedQuote>;

/** The quote-version reference the pricing activity takes; its `policy` is added where the pricing rule lives. */
export const QuoteVersionRef = { quoteId: ProcessId, version: Version };
