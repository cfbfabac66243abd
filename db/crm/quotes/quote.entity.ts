import { defineEntity, p } from '@mikro-orm/postgresql';
import { Customer } from '../customers/customer.entity';
import { Opportunity } from '../leads/lead.entity';
import { EngineUser } from '../../users/user.entity';
import { Product } from '../catalogue/catalogue.entity';
import type { QuoteStatus } from './quote.schema';

/** A quote; its content lives in versions, `currentVersion` names the one under approval. */
export const QuoteSchema = defineEntity({
  name: 'Quote',
  tableName: 'quotes',
  properties: {
    id: p.text().primary(),
    customer: () => p.manyToOne(Customer),
    opportunity: () => p.manyToOne(Opportunity).nullable(),
    owner: () => p.manyToOne(EngineUser).nullable(),
    status: p.text().$type<QuoteStatus>().default('draft'),
    currentVersion: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    versions: () => p.oneToMany(QuoteVersion).mappedBy('quote').orderBy({ version: 'asc' }),
  },
});
export class Quote extends QuoteSchema.class {}
QuoteSchema.setClass(Quote);

/** One priced version of a quote; a change adds a version and restarts approval. */
export const QuoteVersionSchema = defineEntity({
  name: 'QuoteVersion',
  tableName: 'quote_versions',
  properties: {
    id: p.text().primary(),
    quote: () => p.manyToOne(Quote),
    version: p.integer(),
    listTotalCents: p.bigint('number').default(0),
    totalCents: p.bigint('number'),
    /** Below list price, two decimals. */
    discountPercent: p.decimal('number').precision(5).scale(2).default(0),
    changeReason: p.text().nullable(),
    /** Extra discount the rep asked for, added to the customer's rate when pricing. */
    requestedDiscountPercent: p.decimal('number').precision(5).scale(2).default(0),
    createdBy: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lines: () => p.oneToMany(QuoteLine).mappedBy('quoteVersion').orderBy({ lineNo: 'asc' }),
  },
  uniques: [{ properties: ['quote', 'version'] }],
});
export class QuoteVersion extends QuoteVersionSchema.class {}
QuoteVersionSchema.setClass(QuoteVersion);

export const QuoteLineSchema = defineEntity({
  name: 'QuoteLine',
  tableName: 'quote_lines',
  properties: {
    id: p.text().primary(),
    quoteVersion: () => p.manyToOne(QuoteVersion),
    lineNo: p.integer(),
    product: () => p.manyToOne(Product),
    quantity: p.integer(),
    listPriceCents: p.bigint('number').default(0),
    unitPriceCents: p.bigint('number'),
    discountCents: p.bigint('number').default(0),
    lineTotalCents: p.bigint('number'),
  },
  uniques: [{ properties: ['quoteVersion', 'lineNo'] }],
});
export class QuoteLine extends QuoteLineSchema.class {}
QuoteLineSchema.setClass(QuoteLine);
