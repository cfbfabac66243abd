import { Type } from 'typebox';
import { Quote, QuoteView } from '../../../db/crm/quotes/quote.schema';
import { CrmPage, PageQuery } from './crm-records';
import { StartedProcesses } from './crm-records';

/* What the quote routes add around the quote records: the answer to a submission, list filters and pages. */

export const CreatedQuote = Type.Object({ quote: QuoteView, ...StartedProcesses });
export const QuoteListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    ownerId: Type.Optional(Type.String()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const QuotePage = CrmPage(Quote);
export const WrittenQuoteVersion = Type.Object({ quote: QuoteView });
export const QuoteVersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  version: Type.Integer({ minimum: 1, maximum: 10_000 }),
});
