import { defineEntity, p } from '@mikro-orm/postgresql';

/** A catalogue product; `sku` is unique. */
export const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.text().primary(),
    sku: p.text().unique(),
    name: p.text(),
    productLine: p.text(),
    listPriceCents: p.bigint('number'),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    priceTiers: () => p.oneToMany(PriceTier).mappedBy('product').orderBy({ minQuantity: 'asc' }),
  },
});
export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);

/** From `minQuantity` units on, a product costs `unitPriceCents` each. */
export const PriceTierSchema = defineEntity({
  name: 'PriceTier',
  tableName: 'price_tiers',
  properties: {
    id: p.text().primary(),
    product: () => p.manyToOne(Product),
    minQuantity: p.integer(),
    unitPriceCents: p.bigint('number'),
  },
  uniques: [{ properties: ['product', 'minQuantity'] }],
});
export class PriceTier extends PriceTierSchema.class {}
PriceTierSchema.setClass(PriceTier);

/** A supplier of one or more product lines. */
export const SupplierSchema = defineEntity({
  name: 'Supplier',
  tableName: 'suppliers',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    productLines: p.array().onCreate(() => []),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Supplier extends SupplierSchema.class {}
SupplierSchema.setClass(Supplier);
