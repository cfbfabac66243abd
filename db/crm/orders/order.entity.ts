import { defineEntity, p } from '@mikro-orm/postgresql';
import { Product, Supplier } from '../catalogue/catalogue.entity';
import { Customer } from '../customers/customer.entity';
import { Quote } from '../quotes/quote.entity';
import { EngineUser } from '../../users/user.entity';
import type { OrderStatus, PurchaseRequestStatus, ShipmentNoteLine } from './order.schema';
import { Warehouse } from './inventory.entity';

/** A sales order; at most one per quote (the partial unique index orders_quote_unique). */
export const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.text().primary(),
    customer: p.manyToOne(Customer).ref(),
    quote: p.manyToOne(Quote).ref().nullable(),
    status: p.text().$type<OrderStatus>().default('confirmed'),
    owner: p.manyToOne(EngineUser).ref().nullable(),
    totalCents: p.bigint('number').default(0),
    /*
     * What fulfilment did, kept by OrderRepository as it writes lines and shipments (for the
     * order-fulfilment report): the lines' ordered and shipped quantities, the shipment notes and
     * when the first was written.
     */
    orderedQuantity: p.integer().default(0),
    shippedQuantity: p.integer().default(0),
    shipmentCount: p.integer().default(0),
    firstShippedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Order extends OrderSchema.class {}
OrderSchema.setClass(Order);

/** An order line; the database keeps 0 <= shippedQuantity <= quantity. */
export const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'order_lines',
  properties: {
    id: p.text().primary(),
    order: p.manyToOne(Order).ref(),
    lineNo: p.integer(),
    product: p.manyToOne(Product).ref(),
    quantity: p.integer(),
    unitPriceCents: p.bigint('number').default(0),
    /** The quote's discount on this line; quantity × unit price − discount is the line total. */
    discountCents: p.bigint('number').default(0),
    shippedQuantity: p.integer().default(0),
  },
  uniques: [{ properties: ['order', 'lineNo'] }],
});
export class OrderLine extends OrderLineSchema.class {}
OrderLineSchema.setClass(OrderLine);

/**
 * Units held for an order line. Only one open ('reserved') reservation per line and warehouse is
 * unique (a partial index), so a retry tops it up instead of reserving twice. `productId` and
 * `warehouseId` together are a foreign key to the stock row; they stay two scalar columns because
 * the stock's own key is the (product, warehouse) pair.
 */
export const StockReservationSchema = defineEntity({
  name: 'StockReservation',
  tableName: 'stock_reservations',
  properties: {
    id: p.text().primary(),
    orderLine: p.manyToOne(OrderLine).ref(),
    productId: p.text(),
    warehouseId: p.text(),
    quantity: p.integer(),
    status: p.text().$type<'reserved' | 'shipped' | 'released'>().default('reserved'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class StockReservation extends StockReservationSchema.class {}
StockReservationSchema.setClass(StockReservation);

/** A delivery note (发货单) for one warehouse; unique per (order, idempotency key). */
export const ShipmentNoteSchema = defineEntity({
  name: 'ShipmentNote',
  tableName: 'shipment_notes',
  properties: {
    id: p.text().primary(),
    order: p.manyToOne(Order).ref(),
    warehouse: p.manyToOne(Warehouse).ref(),
    idempotencyKey: p.text(),
    lines: p.json<ShipmentNoteLine[]>(),
    status: p.text().$type<'created' | 'shipped' | 'delivered' | 'cancelled'>().default('created'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['order', 'idempotencyKey'] }],
});
export class ShipmentNote extends ShipmentNoteSchema.class {}
ShipmentNoteSchema.setClass(ShipmentNote);

/** A request to buy stock (采购请求); `idempotencyKey` is unique. */
export const PurchaseRequestSchema = defineEntity({
  name: 'PurchaseRequest',
  tableName: 'purchase_requests',
  properties: {
    id: p.text().primary(),
    idempotencyKey: p.text().unique(),
    product: p.manyToOne(Product).ref(),
    supplier: p.manyToOne(Supplier).ref().nullable(),
    order: p.manyToOne(Order).ref().nullable(),
    quantity: p.integer(),
    status: p.text().$type<PurchaseRequestStatus>().default('requested'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class PurchaseRequest extends PurchaseRequestSchema.class {}
PurchaseRequestSchema.setClass(PurchaseRequest);
