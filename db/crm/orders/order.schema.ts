import { Type, type Static } from 'typebox';
import { Cents, Id, Quantity } from '../fields/field-schemas';
import { StockLevel } from './inventory.schema';

/*
 * An order, its lines, stock reservations, shipment notes and purchase requests: the records as the
 * API returns them, the inputs it accepts, and the parameters and results of the order activities.
 */

const Timestamp = Type.String({ format: 'date-time' });
const NullableText = Type.Union([Type.String(), Type.Null()]);
/** A record id as processes pass it (ids of any age, so longer than a new one). */
const RecordRef = Type.String({ minLength: 1, maxLength: 200 });

export const OrderStatus = Type.Enum([
  'confirmed',
  'awaiting-stock',
  'partially-shipped',
  'shipped',
  'delivered',
  'cancelled',
]);
export type OrderStatus = Static<typeof OrderStatus>;
export const PurchaseRequestStatus = Type.Enum(['requested', 'ordered', 'received', 'cancelled']);
export type PurchaseRequestStatus = Static<typeof PurchaseRequestStatus>;

export const Order = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    quoteId: NullableText,
    status: OrderStatus,
    ownerId: NullableText,
    totalCents: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { description: 'A sales order.' },
);
export type Order = Static<typeof Order>;

export const ShipmentNoteLine = Type.Object({
  lineNo: Type.Integer(),
  productId: Type.String(),
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
});
export type ShipmentNoteLine = Static<typeof ShipmentNoteLine>;

export const ShipmentNote = Type.Object(
  {
    id: Type.String(),
    orderId: Type.String(),
    warehouseId: Type.String(),
    lines: Type.Array(ShipmentNoteLine),
    status: Type.String(),
    createdAt: Timestamp,
  },
  { description: 'A shipment note sent to a warehouse.' },
);
export type ShipmentNote = Static<typeof ShipmentNote>;

export const PurchaseRequest = Type.Object(
  {
    id: Type.String(),
    productId: Type.String(),
    supplierId: NullableText,
    orderId: NullableText,
    quantity: Type.Integer(),
    status: PurchaseRequestStatus,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { description: 'A request to buy missing stock.' },
);
export type PurchaseRequest = Static<typeof PurchaseRequest>;

export const OrderLineView = Type.Object({
  lineNo: Type.Integer(),
  productId: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  discountCents: Type.Integer(),
  lineTotalCents: Type.Integer(),
  shippedQuantity: Type.Integer(),
});
export const ReservationView = Type.Object({
  lineNo: Type.Integer(),
  productId: Type.String(),
  warehouseId: Type.String(),
  quantity: Type.Integer(),
  status: Type.String(),
});

/** What fulfilment has done with an order. */
export const OrderFulfilment = Type.Object({
  lines: Type.Array(OrderLineView),
  reservations: Type.Array(ReservationView),
  shipmentNotes: Type.Array(ShipmentNote),
  purchaseRequests: Type.Array(PurchaseRequest),
});
export type OrderFulfilment = Static<typeof OrderFulfilment>;

export const OrderView = Type.Object(
  { ...Order.properties, ...OrderFulfilment.properties },
  {
    description:
      'An order with what fulfilment has done: shipped quantities, reservations, shipment notes, purchase requests.',
  },
);
export type OrderView = Static<typeof OrderView>;

export const OrderFilters = Type.Object({
  status: Type.Optional(Type.String()),
  customerId: Type.Optional(Type.String()),
  ownerId: Type.Optional(Type.String()),
});
export type OrderFilters = Static<typeof OrderFilters>;
export const ShipmentNoteFilters = Type.Object({
  orderId: Type.Optional(Type.String()),
  warehouseId: Type.Optional(Type.String()),
});
export type ShipmentNoteFilters = Static<typeof ShipmentNoteFilters>;
export const PurchaseRequestFilters = Type.Object({
  orderId: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  productId: Type.Optional(Type.String()),
});
export type PurchaseRequestFilters = Static<typeof PurchaseRequestFilters>;

export const ReceivedPurchase = Type.Object({
  purchaseRequest: PurchaseRequest,
  stock: StockLevel,
  processNotified: Type.Boolean({
    description: 'Whether a running process of the order took the stock.received event.',
  }),
  instanceIds: Type.Array(Type.String()),
});

/* Inputs */

export const OrderLineInput = Type.Object(
  {
    productId: Id,
    quantity: Quantity,
    unitPriceCents: Type.Optional(Cents),
  },
  { additionalProperties: false },
);
export type OrderLineInput = Static<typeof OrderLineInput>;

/** A new sales order (starts order fulfilment). */
export const CreateOrderInput = Type.Object(
  {
    customerId: Id,
    quoteId: Type.Optional(Id),
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CreateOrderInput = Static<typeof CreateOrderInput>;

/** An outside event for the fulfilment process of an order. */
export const OrderEventInput = Type.Object(
  {
    event: Type.Enum(['stock.received', 'delivery.confirmed']),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    eventId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Makes a resent event the same event; derived from the body when left out',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OrderEventInput = Static<typeof OrderEventInput>;

export const ReceivePurchaseInput = Type.Object(
  {
    warehouseId: Id,
    quantity: Type.Optional(Quantity),
  },
  { additionalProperties: false },
);
export type ReceivePurchaseInput = Static<typeof ReceivePurchaseInput>;

/* Parameters and results of the order, stock, shipment and purchasing activities */

export const OrderRef = Type.Object({ orderId: RecordRef }, { additionalProperties: false });
export type OrderRef = Static<typeof OrderRef>;

export const CreateOrderFromQuoteParams = Type.Object(
  {
    quoteId: RecordRef,
    actorId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type CreateOrderFromQuoteParams = Static<typeof CreateOrderFromQuoteParams>;

export const CreatedOrder = Type.Object({
  orderId: Type.String(),
  created: Type.Boolean({ description: 'false: the quote had been converted already; this is that order' }),
});
export type CreatedOrder = Static<typeof CreatedOrder>;

export const LoadedOrder = Type.Object({
  order: Type.Pick(Order, ['id', 'status', 'totalCents', 'quoteId']),
  customer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    locale: Type.Enum(['zh-CN', 'en']),
    email: NullableText,
  }),
  owner: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()]),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      productId: Type.String(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      shippedQuantity: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type LoadedOrder = Static<typeof LoadedOrder>;

export const StockCheck = Type.Object({
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      productId: Type.String(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      reservedQuantity: Type.Integer({ minimum: 0, description: 'Already reserved or shipped for this line' }),
      available: Type.Integer({ minimum: 0, description: 'Free stock of the product over all warehouses' }),
      shortBy: Type.Integer({
        minimum: 0,
        description: 'What is still needed beyond the free stock (earlier lines of the same product come first)',
      }),
    }),
  ),
  allAvailable: Type.Boolean(),
  shortLines: Type.Integer({ minimum: 0 }),
});
export type StockCheck = Static<typeof StockCheck>;

export const ReservedStock = Type.Object({
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      productId: Type.String(),
      quantity: Type.Integer(),
      reservedQuantity: Type.Integer({ minimum: 0, description: 'Reserved or shipped for this line, after this call' }),
      shortBy: Type.Integer({ minimum: 0 }),
    }),
  ),
  complete: Type.Boolean({ description: 'Every line is reserved or shipped in full' }),
  reservedNow: Type.Integer({ minimum: 0, description: 'Units this call reserved; 0 on a repeat' }),
});
export type ReservedStock = Static<typeof ReservedStock>;

export const CreateShipmentNoteParams = Type.Object(
  {
    orderId: RecordRef,
    key: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Idempotency key of this shipment round; each warehouse's note is keyed `<key>:<warehouseId>`",
    }),
  },
  { additionalProperties: false },
);
export type CreateShipmentNoteParams = Static<typeof CreateShipmentNoteParams>;

export const ShipmentNotes = Type.Object({
  notes: Type.Array(
    Type.Object({
      id: Type.String(),
      warehouseId: Type.String(),
      warehouseName: Type.String(),
      warehouseEmail: NullableText,
      lines: Type.Array(ShipmentNoteLine),
    }),
  ),
  orderStatus: OrderStatus,
  fullyShipped: Type.Boolean(),
});
export type ShipmentNotes = Static<typeof ShipmentNotes>;
export type ShippedNote = ShipmentNotes['notes'][number];

export const PurchaseRequests = Type.Object({
  requests: Type.Array(
    Type.Object({
      id: Type.String(),
      productId: Type.String(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer({ minimum: 1 }),
      supplier: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: NullableText }), Type.Null()]),
    }),
    { description: 'The open request of every short line, new or from an earlier call' },
  ),
  created: Type.Integer({ minimum: 0, description: 'How many of them this call created' }),
});
export type PurchaseRequests = Static<typeof PurchaseRequests>;
export type RequestedPurchase = PurchaseRequests['requests'][number];

export const SetOrderStatusParams = Type.Object(
  {
    orderId: RecordRef,
    status: OrderStatus,
    actorId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type SetOrderStatusParams = Static<typeof SetOrderStatusParams>;

export const OrderStatusResult = Type.Object({ orderId: Type.String(), status: OrderStatus, changed: Type.Boolean() });
export type OrderStatusResult = Static<typeof OrderStatusResult>;
