import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { priceQuoteVersion } from '../../../activities/crm/sales/quote-version-pricing';
import { QuoteRepository } from '../../../db/crm/quotes/quote.repository';
import { ProblemError } from '../../problem-error';

/**
 * Prices a version of a quote in the request that wrote it (after its writes are flushed), with the pricing the quote-approval
 * process runs (that process prices it again with its template's policy when it runs). Data the
 * pricing refuses (an inactive product, a bad tier) is a 422, and nothing is written.
 */
export async function priceQuoteInRequest(em: EntityManager, quoteId: string, version: number): Promise<void> {
  // The quote was just written through this EntityManager, its customer a bare reference that
  // populate takes as loaded: read it all back from the transaction instead.
  em.clear();
  const quotes = new QuoteRepository(em);
  const quote = await quotes.lock(quoteId);
  const quoteVersion = await quotes.findVersion(quoteId, version);
  if (!quote || !quoteVersion) throw new Error(`quote ${quoteId} v${version} vanished inside its own transaction`);
  try {
    await priceQuoteVersion(em, quote, quoteVersion, undefined);
  } catch (error) {
    if (!(error instanceof ApplicationFailure)) throw error;
    throw new ProblemError({
      status: 422,
      type: 'quote-not-priceable',
      title: 'Unprocessable Content',
      detail: error.message,
      extensions: { code: error.type },
    });
  }
}
