import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';
import { StartedProcesses } from './leads';

const quoteFields = {
  customerId: Type.String(), opportunityId: NullableText, ownerId: NullableText,
  status: Type.String({ description: 'draft | submitted | approved | rejected | changes-requested | accepted' }),
  currentVersion: Type.Integer(), createdAt: Iso, updatedAt: Iso,
};
export const Quote = CrmRecord(quoteFields, 'A quote.');
export const QuoteLine = Type.Object({
  lineNo: Type.Integer(), productId: Type.String(), quantity: Type.Integer(), listPriceCents: Type.Integer(),
  unitPriceCents: Type.Integer({ description: '0 until the quote-approval process prices it' }), discountCents: Type.Integer(), lineTotalCents: Type.Integer(),
});
export const QuoteVersion = Type.Object({
  version: Type.Integer(), listTotalCents: Type.Integer(), totalCents: Type.Integer(), discountPercent: Type.Number(),
  changeReason: NullableText, createdBy: NullableText, createdAt: Iso, lines: Type.Array(QuoteLine),
});
export const QuoteView = CrmRecord({ ...quoteFields, versions: Type.Array(QuoteVersion) }, 'A quote with every version and its lines.');
export const CreatedQuote = Type.Object({ quote: QuoteView, ...StartedProcesses });
export const QuoteListQuery = Type.Object({
  customerId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const QuotePage = CrmPage(Quote);

export const Signalled = Type.Object({
  accepted: Type.Literal(true),
  event: Type.String(),
  eventId: Type.String(),
  instanceIds: Type.Array(Type.String(), { description: 'The running instances that took the event.' }),
});
