import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActivityDeps } from '../../deps';
import type { QuoteStatusResult, ReviseQuoteParams, RevisedQuote, SetQuoteStatusParams } from './quote-schemas';
import { findQuoteVersion, loadSellableProducts, lockQuote, type QuoteVersionRow } from './quote-rows';
import { refuseSale } from './sales-failure';

interface NewQuoteLine { productId: string; quantity: number; listPriceCents: number; unitPriceCents: number; discountCents: number; lineTotalCents: number }

export function createQuoteActivities(deps: ActivityDeps) {
  return {
    /**
     * Moves a quote to the status a process decided (submitted, approved, …) and records who moved
     * it and why in the audit log. Setting the status it has is a no-op; an accepted quote has
     * become an order and stays accepted.
     */
    async 'crm.setQuoteStatus'({ quoteId, status, actorId, reason }: SetQuoteStatusParams): Promise<QuoteStatusResult> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quote = await lockQuote(tx, quoteId);
        if (quote.status !== status) {
          if (quote.status === 'accepted') refuseSale('quote.invalid-transition', `quote ${quoteId} is accepted; it cannot become ${status}`);
          await tx.execute('update quotes set status = ?, updated_at = now() where id = ?', [status, quoteId]);
          // The quote row keeps only the status: who decided and why (a rejection's reason) is kept here.
          await tx.execute(
            `insert into audit_log (id, occurred_at, actor, action, subject, detail, idempotency_key)
             values (?, now(), ?, ?, ?, ?::jsonb, ?) on conflict (idempotency_key) do nothing`,
            [randomUUID(), actorId ?? 'system', `quote.${status}`, `quote:${quoteId}`,
              JSON.stringify({ from: quote.status, to: status, version: quote.current_version, reason: reason ?? null }),
              `quote-status:${quoteId}:v${quote.current_version}:${status}`],
          );
        }
        return { quoteId, status, version: quote.current_version };
      });
    },

    /**
     * Writes the next version of a quote (the rep's new lines, or the old ones copied) and submits
     * it again. The version number is the key: if `fromVersion + 1` exists, that version is the
     * answer, so a retry writes nothing. New lines carry list prices until `crm.priceQuoteVersion` runs.
     */
    async 'crm.reviseQuote'(params: ReviseQuoteParams): Promise<RevisedQuote> {
      return deps.orm.em.fork().transactional(async (tx) => {
        const quote = await lockQuote(tx, params.quoteId);
        const version = params.fromVersion + 1;
        if (await findQuoteVersion(tx, params.quoteId, version)) return { quoteId: params.quoteId, version };
        const from = await findQuoteVersion(tx, params.quoteId, params.fromVersion)
          ?? refuseSale('quote.unknown', `quote ${params.quoteId} has no version ${params.fromVersion}`);
        if (quote.status === 'accepted') refuseSale('quote.invalid-transition', `quote ${params.quoteId} is accepted; it cannot be revised`);
        const lines = params.lines ? await listPricedLines(tx, params.lines) : await copyLines(tx, from);
        const versionId = `qv-${randomUUID()}`;
        const listTotal = lines.reduce((sum, line) => sum + line.listPriceCents * line.quantity, 0);
        const total = lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
        const discountPercent = listTotal === 0 ? 0 : Math.round(((listTotal - total) * 10_000) / listTotal) / 100;
        await tx.execute(
          `insert into quote_versions (id, quote_id, version, list_total_cents, total_cents, discount_percent,
             requested_discount_percent, change_reason, created_by)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [versionId, params.quoteId, version, listTotal, total, discountPercent,
            params.requestedDiscountPercent ?? Number(from.requested_discount_percent), params.changeReason, params.actorId],
        );
        for (const [index, line] of lines.entries()) {
          await tx.execute(
            `insert into quote_lines (id, quote_version_id, line_no, product_id, quantity, list_price_cents, unit_price_cents,
               discount_cents, line_total_cents)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [`ql-${randomUUID()}`, versionId, index + 1, line.productId, line.quantity, line.listPriceCents, line.unitPriceCents,
              line.discountCents, line.lineTotalCents],
          );
        }
        await tx.execute(
          `update quotes set current_version = greatest(current_version, ?), status = 'submitted', updated_at = now() where id = ?`,
          [version, params.quoteId],
        );
        return { quoteId: params.quoteId, version };
      });
    },
  };
}

async function listPricedLines(em: EntityManager, lines: NonNullable<ReviseQuoteParams['lines']>): Promise<NewQuoteLine[]> {
  const products = await loadSellableProducts(em, lines.map((line) => line.productId));
  return lines.map((line) => {
    const listPriceCents = Number(products.get(line.productId)!.list_price_cents);
    return { ...line, listPriceCents, unitPriceCents: listPriceCents, discountCents: 0, lineTotalCents: listPriceCents * line.quantity };
  });
}

async function copyLines(em: EntityManager, from: QuoteVersionRow): Promise<NewQuoteLine[]> {
  const rows = await em.execute<Record<string, string | number>[]>(
    `select product_id, quantity, list_price_cents, unit_price_cents, discount_cents, line_total_cents
     from quote_lines where quote_version_id = ? order by line_no`,
    [from.id],
  );
  return rows.map((row) => ({
    productId: String(row['product_id']), quantity: Number(row['quantity']), listPriceCents: Number(row['list_price_cents']),
    unitPriceCents: Number(row['unit_price_cents']), discountCents: Number(row['discount_cents']), lineTotalCents: Number(row['line_total_cents']),
  }));
}
