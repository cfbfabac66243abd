import { defineEntity, p } from '@mikro-orm/postgresql';

export const WarehouseSchema = defineEntity({
  name: 'Warehouse',
  tableName: 'warehouses',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    region: p.text().nullable(),
    /** Where shipment notes are mailed. */
    email: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Warehouse extends WarehouseSchema.class {}
WarehouseSchema.setClass(Warehouse);

/**
 * Stock of one product in one warehouse; the database keeps 0 <= reserved <= onHand. Its key is
 * the (product, warehouse) pair, kept as two scalar ids rather than relations: a composite key made
 * of relations would change how every caller names the row (`{ productId, warehouseId }`, which
 * tests and the reservation's composite foreign key use).
 */
export const StockSchema = defineEntity({
  name: 'Stock',
  tableName: 'stock',
  properties: {
    productId: p.text().primary(),
    warehouseId: p.text().primary(),
    onHand: p.integer().default(0),
    reserved: p.integer().default(0),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Stock extends StockSchema.class {}
StockSchema.setClass(Stock);
