import { CatalogueRepository } from '../../../db/crm/catalogue/catalogue.repository';
import { QuoteRepository, type NewQuoteLine } from '../../../db/crm/quotes/quote.repository';
import {
  QuoteStatusResult,
  ReviseQuoteParams,
  RevisedQuote,
  SetQuoteStatusParams,
} from '../../../db/crm/quotes/quote.schema';
import { appendAuditEntry } from '../../../db/repositories/audit-log';
import { defineActivity } from '../../activity-definition';
import { loadSellableProducts, priceQuoteVersionActivity } from './quote-version-pricing';
import { refuseSale } from './sales-failure';

/** The quote activities: pricing a version, moving a quote's status, revising it. */
export const quoteActivities = [
  priceQuoteVersionActivity,

  /**
   * Moves a quote to the status a process decided (submitted, approved, …) and records who moved
   * it and why in the audit log. Setting the status it has is a no-op; an accepted quote has
   * become an order and stays accepted.
   */
  defineActivity({
    name: 'crm.setQuoteStatus',
    contract: {
      description:
        "Set a quote's status (submitted, approved, rejected, changes-requested, accepted); an accepted quote stays accepted.",
      params: SetQuoteStatusParams,
      result: QuoteStatusResult,
    },
    async run({ quoteId, status, actorId, reason }, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quotes = new QuoteRepository(tx);
        const quote = (await quotes.lock(quoteId)) ?? refuseSale('quote.unknown', `no quote ${quoteId}`);
        const from = quote.status;
        if (from !== status) {
          if (from === 'accepted')
            refuseSale('quote.invalid-transition', `quote ${quoteId} is accepted; it cannot become ${status}`);
          await quotes.setStatus(quote, status);
          // The quote row keeps only the status: who decided and why (a rejection's reason) is kept here.
          await appendAuditEntry(tx, {
            actor: actorId ?? 'system',
            action: `quote.${status}`,
            subject: `quote:${quoteId}`,
            detail: { from, to: status, version: quote.currentVersion, reason: reason ?? null },
            idempotencyKey: `quote-status:${quoteId}:v${quote.currentVersion}:${status}`,
          });
        }
        return { quoteId, status, version: quote.currentVersion };
      });
    },
  }),

  /**
   * Submits the next version of a sent-back quote: the draft its owner wrote (PUT
   * /quotes/:id/versions/:n), else a copy of the old version, with the lines and requested
   * discount the revise task's form gave (if any) written over it. The version number is the key:
   * a retry finds version `fromVersion + 1` written and writes the same again. New lines carry
   * list prices until `crm.priceQuoteVersion` runs.
   */
  defineActivity({
    name: 'crm.reviseQuote',
    contract: {
      description:
        "Submit version fromVersion+1 of a quote: the owner's draft if one was written, else the old lines copied; lines and requestedDiscountPercent given here are written over it; once per version.",
      params: ReviseQuoteParams,
      result: RevisedQuote,
    },
    async run(params, deps) {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quotes = new QuoteRepository(tx);
        const quote = (await quotes.lock(params.quoteId)) ?? refuseSale('quote.unknown', `no quote ${params.quoteId}`);
        const version = params.fromVersion + 1;
        const draft = await quotes.findVersion(params.quoteId, version);
        if (draft && quote.currentVersion >= version) return { quoteId: params.quoteId, version };
        if (quote.status === 'accepted')
          refuseSale('quote.invalid-transition', `quote ${params.quoteId} is accepted; it cannot be revised`);
        const from =
          draft ??
          (await quotes.findVersion(params.quoteId, params.fromVersion)) ??
          refuseSale('quote.unknown', `quote ${params.quoteId} has no version ${params.fromVersion}`);
        const lines: NewQuoteLine[] = params.lines
          ? await linesAtListPrice(new CatalogueRepository(tx), params.lines)
          : from.lines.getItems().map((line) => ({
              productId: line.product.id,
              quantity: line.quantity,
              listPriceCents: line.listPriceCents,
              unitPriceCents: line.unitPriceCents,
              discountCents: line.discountCents,
              lineTotalCents: line.lineTotalCents,
            }));
        const requestedDiscountPercent = params.requestedDiscountPercent ?? from.requestedDiscountPercent;
        if (!draft) {
          const listTotal = lines.reduce((sum, line) => sum + line.listPriceCents * line.quantity, 0);
          const total = lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
          await quotes.addVersion(quote, {
            version,
            listTotalCents: listTotal,
            totalCents: total,
            discountPercent: listTotal === 0 ? 0 : Math.round(((listTotal - total) * 10_000) / listTotal) / 100,
            requestedDiscountPercent,
            changeReason: params.changeReason,
            createdBy: params.actorId,
            lines,
          });
          return { quoteId: params.quoteId, version };
        }
        const written =
          params.lines || params.requestedDiscountPercent != null
            ? await quotes.writeDraftVersion(quote, {
                version,
                lines,
                requestedDiscountPercent,
                changeReason: null,
                createdBy: params.actorId,
              })
            : draft;
        await quotes.submitVersion(quote, written, params.changeReason);
        return { quoteId: params.quoteId, version };
      });
    },
  }),
] as const;

async function linesAtListPrice(
  catalogue: CatalogueRepository,
  lines: NonNullable<ReviseQuoteParams['lines']>,
): Promise<NewQuoteLine[]> {
  const products = await loadSellableProducts(
    catalogue,
    lines.map((line) => line.productId),
  );
  return lines.map((line) => {
    const listPriceCents = products.get(line.productId)!.listPriceCents;
    return {
      ...line,
      listPriceCents,
      unitPriceCents: listPriceCents,
      discountCents: 0,
      lineTotalCents: listPriceCents * line.quantity,
    };
  });
}
