import { LockMode, wrap, type EntityManager } from '@mikro-orm/postgresql';
import type { Customer } from '../customers/customer.entity';
import type { EngineUser } from '../../users/user.entity';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { ownerBranches, ownerCondition } from '../owner-filter';
import { Quote, QuoteLine, QuoteVersion } from './quote.entity';
import type { Quote as QuoteRecord, QuoteRequestInput, QuoteStatus, QuoteView } from './quote.schema';

export interface QuoteFilters {
  customerId?: string;
  status?: string;
  ownerId?: string;
  /** Only records one of these people owns (the reader's scope); undefined: every record. */
  ownerIds?: readonly string[];
  cursor?: string;
  limit?: number;
}

/** A quote's current version and its lines in line order, as an order is made from them. */
export interface QuoteVersionWithLines {
  quote: Quote;
  version: QuoteVersion;
  lines: QuoteLine[];
}

/** A line of a new version, priced or at list price. */
export interface NewQuoteLine {
  productId: string;
  quantity: number;
  listPriceCents: number;
  unitPriceCents: number;
  discountCents: number;
  lineTotalCents: number;
}

export interface NewQuoteVersion {
  version: number;
  listTotalCents: number;
  totalCents: number;
  discountPercent: number;
  requestedDiscountPercent: number;
  changeReason: string;
  createdBy: string;
  lines: NewQuoteLine[];
}

/** A quote's latest priced version as the approval rule sees it. */
export interface PricedQuoteVersion {
  quoteId: string;
  version: number;
  customerName: string | null;
  totalCents: number;
  negotiatedDiscountPercent: number;
}

/** What pricing decided for a version: one price per line, in line order, and the totals. */
export interface QuoteVersionPrices {
  lines: { listPriceCents: number; unitPriceCents: number; discountCents: number; totalCents: number }[];
  listTotalCents: number;
  totalCents: number;
  discountPercent: number;
}

/**
 * The quotes' tables (quotes, quote_versions, quote_lines): the only reader and writer of them.
 * Made per unit of work on its EntityManager; every writer of a quote or its versions takes the
 * quote's row lock (`lock`) first, in the transaction it writes in.
 */
export class QuoteRepository {
  constructor(private readonly em: EntityManager) {}

  /** Newest first, keyset pages. */
  list(filters: QuoteFilters): Promise<Page<Quote>> {
    return queryKeysetPage(this.em, {
      entity: Quote,
      table: 'quotes',
      orderColumn: 'created_at',
      equals: { customer_id: filters.customerId, status: filters.status, owner_id: filters.ownerId },
      anyOf: ownerBranches(filters.ownerIds),
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /** How many quotes a customer has (a customer's counts show it). */
  countForCustomer(customerId: string): Promise<number> {
    return this.em.count(Quote, { customer: customerId });
  }

  /** The quote with every version (oldest first) and their lines. */
  findWithVersions(id: string): Promise<Quote | null> {
    return this.em.findOne(Quote, id, { populate: ['versions', 'versions.lines'] });
  }

  /** The quote, locked for this transaction; null when there is none. */
  lock(id: string): Promise<Quote | null> {
    return this.em.findOne(Quote, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** One version of a quote with its lines; null when the quote has no such version. */
  findVersion(quoteId: string, version: number): Promise<QuoteVersion | null> {
    return this.em.findOne(QuoteVersion, { quote: quoteId, version }, { populate: ['lines'] });
  }

  /** The quote's customer and owner, loaded through its relations; null when one is gone or not set. */
  async findParties(quote: Quote): Promise<{ customer: Customer | null; owner: EngineUser | null }> {
    await this.em.populate(quote, ['customer', 'owner']);
    const customer = wrap(quote.customer).isInitialized() ? quote.customer : null;
    const owner = quote.owner && wrap(quote.owner).isInitialized() ? quote.owner : null;
    return { customer, owner };
  }

  /**
   * The quote, locked for this transaction, with its current version and that version's lines;
   * null when the quote or its current version does not exist.
   */
  async currentVersionWithLines(quoteId: string): Promise<QuoteVersionWithLines | null> {
    const quote = await this.lock(quoteId);
    if (!quote) return null;
    const version = await this.findVersion(quoteId, quote.currentVersion);
    return version ? { quote, version, lines: version.lines.getItems() } : null;
  }

  /**
   * A submitted quote (`Q-…`) at version 1 (`QV-…`) with its lines (`QL-…`), prices 0 until the
   * caller prices them (the API in the same request, the quote-approval process again when it runs).
   */
  async createSubmitted(input: QuoteRequestInput, ownerId: string): Promise<Quote> {
    const quote = this.em.create(Quote, {
      id: newCrmId('Q'),
      customer: input.customerId,
      opportunity: input.opportunityId ?? null,
      owner: ownerId,
      status: 'submitted',
      currentVersion: 1,
    });
    const version = this.em.create(QuoteVersion, {
      id: newCrmId('QV'),
      quote,
      version: 1,
      totalCents: 0,
      requestedDiscountPercent: input.requestedDiscountPercent ?? 0,
      changeReason: input.changeReason ?? null,
      createdBy: ownerId,
    });
    for (const [index, line] of input.lines.entries()) {
      this.em.create(QuoteLine, {
        id: newCrmId('QL'),
        quoteVersion: version,
        lineNo: index + 1,
        product: line.productId,
        quantity: line.quantity,
        unitPriceCents: 0,
        lineTotalCents: 0,
      });
    }
    await this.em.flush();
    return quote;
  }

  /** Sets the status of a locked quote. */
  async setStatus(quote: Quote, status: QuoteStatus): Promise<void> {
    quote.status = status;
    await this.em.flush();
  }

  /** Adds the next version (`QV-…`, lines `QL-…`) to a locked quote, makes it current and submits the quote again. */
  async addVersion(quote: Quote, draft: NewQuoteVersion): Promise<QuoteVersion> {
    const version = this.em.create(QuoteVersion, {
      id: newCrmId('QV'),
      quote,
      version: draft.version,
      listTotalCents: draft.listTotalCents,
      totalCents: draft.totalCents,
      discountPercent: draft.discountPercent,
      requestedDiscountPercent: draft.requestedDiscountPercent,
      changeReason: draft.changeReason,
      createdBy: draft.createdBy,
    });
    this.createLines(version, draft.lines);
    quote.currentVersion = Math.max(quote.currentVersion, draft.version);
    quote.status = 'submitted';
    await this.em.flush();
    return version;
  }

  /** A version's lines `QL-…`, numbered from 1 in the order given. */
  private createLines(version: QuoteVersion, lines: NewQuoteLine[]): void {
    for (const [index, line] of lines.entries()) {
      this.em.create(QuoteLine, {
        id: newCrmId('QL'),
        quoteVersion: version,
        lineNo: index + 1,
        product: line.productId,
        quantity: line.quantity,
        listPriceCents: line.listPriceCents,
        unitPriceCents: line.unitPriceCents,
        discountCents: line.discountCents,
        lineTotalCents: line.lineTotalCents,
      });
    }
  }

  /**
   * Writes the lines and requested discount of a version that is not yet current (the revision of
   * a sent-back quote): creates it, or replaces its lines, at list price until it is priced. The
   * quote's current version and status stay as they are; `submitVersion` makes it current.
   */
  async writeDraftVersion(
    quote: Quote,
    draft: {
      version: number;
      lines: NewQuoteLine[];
      requestedDiscountPercent: number;
      changeReason: string | null;
      createdBy: string;
    },
  ): Promise<QuoteVersion> {
    let version = await this.findVersion(quote.id, draft.version);
    if (version) {
      for (const line of version.lines.getItems()) this.em.remove(line);
      // The old lines go before the new ones take their line numbers (unique per version).
      await this.em.flush();
      version.requestedDiscountPercent = draft.requestedDiscountPercent;
      if (draft.changeReason !== null) version.changeReason = draft.changeReason;
    } else {
      version = this.em.create(QuoteVersion, {
        id: newCrmId('QV'),
        quote,
        version: draft.version,
        totalCents: 0,
        requestedDiscountPercent: draft.requestedDiscountPercent,
        changeReason: draft.changeReason,
        createdBy: draft.createdBy,
      });
    }
    this.createLines(version, draft.lines);
    version.listTotalCents = draft.lines.reduce((sum, line) => sum + line.listPriceCents * line.quantity, 0);
    version.totalCents = draft.lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
    version.discountPercent = 0;
    await this.em.flush();
    await this.em.populate(version, ['lines'], { refresh: true });
    return version;
  }

  /** Makes a written version of a locked quote current, with the reason it was changed, and submits the quote again. */
  async submitVersion(quote: Quote, version: QuoteVersion, changeReason: string): Promise<void> {
    version.changeReason = changeReason;
    quote.currentVersion = Math.max(quote.currentVersion, version.version);
    quote.status = 'submitted';
    await this.em.flush();
  }

  /** Writes pricing's figures onto a version (loaded with its lines) and its lines; the same prices write the same figures. */
  async writePrices(version: QuoteVersion, prices: QuoteVersionPrices): Promise<void> {
    for (const [index, line] of version.lines.getItems().entries()) {
      const price = prices.lines[index]!;
      line.listPriceCents = price.listPriceCents;
      line.unitPriceCents = price.unitPriceCents;
      line.discountCents = price.discountCents;
      line.lineTotalCents = price.totalCents;
    }
    version.listTotalCents = prices.listTotalCents;
    version.totalCents = prices.totalCents;
    version.discountPercent = prices.discountPercent;
    await this.em.flush();
  }

  /**
   * The newest quotes' latest priced versions (newest quote first) with what the approval rule
   * judges: the total and the discount sales negotiated on top of the price list (line discounts
   * over the lines' gross, as pricing computes it). For a backtest of a draft approval policy;
   * one grouped query rather than a load of every version's lines.
   */
  async newestPricedVersions(ownerIds: readonly string[] | undefined, limit: number): Promise<PricedQuoteVersion[]> {
    const owners = ownerCondition(ownerIds, 'q.owner_id');
    const rows = await this.em.execute<
      { quote_id: string; version: number; customer_name: string | null; total_cents: string; negotiated: string }[]
    >(
      `select q.id as quote_id, v.version, c.name as customer_name, v.total_cents,
              coalesce(round(100.0 * sum(l.discount_cents) / nullif(sum(l.line_total_cents) + sum(l.discount_cents), 0), 2), 0) as negotiated
         from quotes q
         join lateral (select id, version, total_cents from quote_versions qv
                        where qv.quote_id = q.id and qv.list_total_cents > 0
                        order by qv.version desc limit 1) v on true
         left join quote_lines l on l.quote_version_id = v.id
         left join customers c on c.id = q.customer_id
        where ${owners.sql}
        group by q.id, q.created_at, v.id, v.version, v.total_cents, c.name
        order by q.created_at desc, q.id desc
        limit ?`,
      [...owners.params, limit],
    );
    return rows.map((row) => ({
      quoteId: row.quote_id,
      version: row.version,
      customerName: row.customer_name,
      totalCents: Number(row.total_cents),
      negotiatedDiscountPercent: Number(row.negotiated),
    }));
  }
}

export function toQuoteRecord(quote: Quote): QuoteRecord {
  return {
    id: quote.id,
    customerId: quote.customer.id,
    opportunityId: quote.opportunity?.id ?? null,
    ownerId: quote.owner?.id ?? null,
    status: quote.status,
    currentVersion: quote.currentVersion,
    createdAt: new Date(quote.createdAt).toISOString(),
    updatedAt: new Date(quote.updatedAt).toISOString(),
  };
}

/** The quote with its versions and lines; they must have been loaded (`findWithVersions`). */
export function toQuoteView(quote: Quote): QuoteView {
  return {
    ...toQuoteRecord(quote),
    versions: quote.versions.getItems().map((version) => ({
      version: version.version,
      listTotalCents: version.listTotalCents,
      totalCents: version.totalCents,
      discountPercent: version.discountPercent,
      changeReason: version.changeReason ?? null,
      createdBy: version.createdBy ?? null,
      createdAt: new Date(version.createdAt).toISOString(),
      lines: version.lines.getItems().map((line) => ({
        lineNo: line.lineNo,
        productId: line.product.id,
        quantity: line.quantity,
        listPriceCents: line.listPriceCents,
        unitPriceCents: line.unitPriceCents,
        discountCents: line.discountCents,
        lineTotalCents: line.lineTotalCents,
      })),
    })),
  };
}
