import { Type, type Static } from 'typebox';

/* Parameters and results of the order, stock, shipment and purchasing activities. */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Quantity = Type.Integer({ minimum: 0 });

export const OrderStatus = Type.Enum(['confirmed', 'awaiting-stock', 'partially-shipped', 'shipped', 'delivered', 'cancelled']);
export type OrderStatus = Static<typeof OrderStatus>;

export const OrderRef = Type.Object({ orderId: Id }, { additionalProperties: false });
export type OrderRef = Static<typeof OrderRef>;

export const CreateOrderFromQuoteParams = Type.Object({
  quoteId: Id,
  actorId: Type.Optional(Type.String({ minLength: 1 })),
}, { additionalProperties: false });
export type CreateOrderFromQuoteParams = Static<typeof CreateOrderFromQuoteParams>;

export const CreatedOrder = Type.Object({
  orderId: Type.String(),
  created: Type.Boolean({ description: 'false: the quote had been converted already; this is that order' }),
});
export type CreatedOrder = Static<typeof CreatedOrder>;

export const LoadedOrder = Type.Object({
  order: Type.Object({ id: Type.String(), status: OrderStatus, totalCents: Type.Integer({ minimum: 0 }), quoteId: NullableText }),
  customer: Type.Object({ id: Type.String(), name: Type.String(), locale: Type.Enum(['zh-CN', 'en']), email: NullableText }),
  owner: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()]),
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(), productId: Type.String(), sku: Type.String(), name: Type.String(),
    quantity: Type.Integer(), shippedQuantity: Quantity,
  })),
});
export type LoadedOrder = Static<typeof LoadedOrder>;

export const StockCheck = Type.Object({
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(), productId: Type.String(), sku: Type.String(), name: Type.String(), quantity: Type.Integer(),
    reservedQuantity: Type.Integer({ minimum: 0, description: 'Already reserved or shipped for this line' }),
    available: Type.Integer({ minimum: 0, description: 'Free stock of the product over all warehouses' }),
    shortBy: Type.Integer({ minimum: 0, description: 'What is still needed beyond the free stock (earlier lines of the same product come first)' }),
  })),
  allAvailable: Type.Boolean(),
  shortLines: Type.Integer({ minimum: 0 }),
});
export type StockCheck = Static<typeof StockCheck>;

export const StockReservation = Type.Object({
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(), productId: Type.String(), quantity: Type.Integer(),
    reservedQuantity: Type.Integer({ minimum: 0, description: 'Reserved or shipped for this line, after this call' }),
    shortBy: Type.Integer({ minimum: 0 }),
  })),
  complete: Type.Boolean({ description: 'Every line is reserved or shipped in full' }),
  reservedNow: Type.Integer({ minimum: 0, description: 'Units this call reserved; 0 on a repeat' }),
});
export type StockReservation = Static<typeof StockReservation>;

export const ShipmentNoteLine = Type.Object({
  lineNo: Type.Integer(), productId: Type.String(), sku: Type.String(), name: Type.String(), quantity: Type.Integer({ minimum: 1 }),
});
export type ShipmentNoteLine = Static<typeof ShipmentNoteLine>;

export const CreateShipmentNoteParams = Type.Object({
  orderId: Id,
  key: Type.String({ minLength: 1, maxLength: 200, description: 'Idempotency key of this shipment round; each warehouse\'s note is keyed `<key>:<warehouseId>`' }),
}, { additionalProperties: false });
export type CreateShipmentNoteParams = Static<typeof CreateShipmentNoteParams>;

export const ShipmentNotes = Type.Object({
  notes: Type.Array(Type.Object({
    id: Type.String(), warehouseId: Type.String(), warehouseName: Type.String(), warehouseEmail: NullableText,
    lines: Type.Array(ShipmentNoteLine),
  })),
  orderStatus: OrderStatus,
  fullyShipped: Type.Boolean(),
});
export type ShipmentNotes = Static<typeof ShipmentNotes>;

export const PurchaseRequests = Type.Object({
  requests: Type.Array(Type.Object({
    id: Type.String(), productId: Type.String(), sku: Type.String(), name: Type.String(), quantity: Type.Integer({ minimum: 1 }),
    supplier: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: NullableText }), Type.Null()]),
  }), { description: 'The open request of every short line, new or from an earlier call' }),
  created: Type.Integer({ minimum: 0, description: 'How many of them this call created' }),
});
export type PurchaseRequests = Static<typeof PurchaseRequests>;

export const SetOrderStatusParams = Type.Object({
  orderId: Id,
  status: OrderStatus,
  actorId: Type.Optional(Type.String({ minLength: 1 })),
}, { additionalProperties: false });
export type SetOrderStatusParams = Static<typeof SetOrderStatusParams>;

export const OrderStatusResult = Type.Object({ orderId: Type.String(), status: OrderStatus, changed: Type.Boolean() });
export type OrderStatusResult = Static<typeof OrderStatusResult>;
