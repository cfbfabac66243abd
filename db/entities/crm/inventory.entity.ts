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

/** Stock of one product in one warehouse; the database keeps 0 <= reserved <= onHand. */
export const StockSchema = defineEntity({
  name: 'Stock',
  tableName: 'stock',
  properties: {
    productId: p.text().primary(),
    warehouseId: p.text().primary(),
    onHand: p.integer().default(0),
    reserved: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export class Stock extends StockSchema.class {}
StockSchema.setClass(Stock);

/** Units held for an order line; unique per (order line, warehouse), so a retry never reserves twice. */
export const StockReservationSchema = defineEntity({
  name: 'StockReservation',
  tableName: 'stock_reservations',
  properties: {
    id: p.text().primary(),
    orderLineId: p.text(),
    productId: p.text(),
    warehouseId: p.text(),
    quantity: p.integer(),
    status: p.text().$type<'reserved' | 'shipped' | 'released'>().default('reserved'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['orderLineId', 'warehouseId'] }],
});
export class StockReservation extends StockReservationSchema.class {}
StockReservationSchema.setClass(StockReservation);
