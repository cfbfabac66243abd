import { defineEntity, p } from '@mikro-orm/postgresql';

export type OrderStatus = 'confirmed' | 'awaiting-stock' | 'partially-shipped' | 'shipped' | 'delivered' | 'cancelled';

/** A sales order; at most one per quote. */
export const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.text().primary(),
    customerId: p.text(),
    quoteId: p.text().nullable(),
    status: p.text().$type<OrderStatus>().default('confirmed'),
    ownerId: p.text().nullable(),
    totalCents: p.bigint('number').default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
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
    orderId: p.text(),
    lineNo: p.integer(),
    productId: p.text(),
    quantity: p.integer(),
    unitPriceCents: p.bigint('number').default(0),
    /** The quote's discount on this line; quantity × unit price − discount is the line total. */
    discountCents: p.bigint('number').default(0),
    shippedQuantity: p.integer().default(0),
  },
  uniques: [{ properties: ['orderId', 'lineNo'] }],
});
export class OrderLine extends OrderLineSchema.class {}
OrderLineSchema.setClass(OrderLine);

export interface ShipmentNoteLine { orderLineId: string; productId: string; quantity: number }

/** A delivery note (发货单) for one warehouse; unique per (order, idempotency key). */
export const ShipmentNoteSchema = defineEntity({
  name: 'ShipmentNote',
  tableName: 'shipment_notes',
  properties: {
    id: p.text().primary(),
    orderId: p.text(),
    warehouseId: p.text(),
    idempotencyKey: p.text(),
    lines: p.json<ShipmentNoteLine[]>(),
    status: p.text().$type<'created' | 'shipped' | 'delivered' | 'cancelled'>().default('created'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['orderId', 'idempotencyKey'] }],
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
    productId: p.text(),
    supplierId: p.text().nullable(),
    orderId: p.text().nullable(),
    quantity: p.integer(),
    status: p.text().$type<'requested' | 'ordered' | 'received' | 'cancelled'>().default('requested'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export class PurchaseRequest extends PurchaseRequestSchema.class {}
PurchaseRequestSchema.setClass(PurchaseRequest);

