import { Type, type Static } from 'typebox';
import {
  Cents, Email, Id, Phone, PriceCents, Quantity, TicketCategory, TicketPriority, Text,
} from './common';

export const PriceTierInput = Type.Object({
  minQuantity: Quantity,
  unitPriceCents: PriceCents,
}, { additionalProperties: false });

export const CreateProductInput = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
  name: Text(),
  productLine: Text(100),
  listPriceCents: PriceCents,
  priceTiers: Type.Optional(Type.Array(PriceTierInput, { maxItems: 20 })),
}, { additionalProperties: false });
export type CreateProductInput = Static<typeof CreateProductInput>;

export const OrderLineInput = Type.Object({
  productId: Id,
  quantity: Quantity,
  unitPriceCents: Type.Optional(Cents),
}, { additionalProperties: false });

/** A new sales order (starts order fulfilment). */
export const CreateOrderInput = Type.Object({
  customerId: Id,
  quoteId: Type.Optional(Id),
  lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export type CreateOrderInput = Static<typeof CreateOrderInput>;

export const QuoteLineRequest = Type.Object({
  productId: Id,
  quantity: Quantity,
}, { additionalProperties: false });

/** A request for a quote, or for a new version of one (starts quote approval). */
export const QuoteRequestInput = Type.Object({
  customerId: Id,
  opportunityId: Type.Optional(Id),
  lines: Type.Array(QuoteLineRequest, { minItems: 1, maxItems: 500 }),
  requestedDiscountPercent: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 100, description: 'Extra discount the rep asks for, on top of the customer\'s rate' })),
  changeReason: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type QuoteRequestInput = Static<typeof QuoteRequestInput>;

/** A service request or complaint (starts ticket handling). */
export const CreateTicketInput = Type.Object({
  customerId: Type.Optional(Id),
  contactEmail: Type.Optional(Email),
  contactPhone: Type.Optional(Phone),
  subject: Text(),
  body: Type.String({ maxLength: 20000 }),
  category: Type.Optional(TicketCategory),
  priority: Type.Optional(TicketPriority),
}, { additionalProperties: false });
export type CreateTicketInput = Static<typeof CreateTicketInput>;

const Labels = Type.Array(Text(100), { maxItems: 50, uniqueItems: true });

export const CreateWarehouseInput = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })),
  name: Text(),
  region: Type.Optional(Text(100)),
  email: Type.Optional(Email),
}, { additionalProperties: false });
export type CreateWarehouseInput = Static<typeof CreateWarehouseInput>;

export const SetStockInput = Type.Object({
  onHand: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
}, { additionalProperties: false });

export const CreateSupplierInput = Type.Object({
  name: Text(),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  productLines: Type.Optional(Labels),
}, { additionalProperties: false });
export type CreateSupplierInput = Static<typeof CreateSupplierInput>;

export const ReceivePurchaseInput = Type.Object({
  warehouseId: Id,
  quantity: Type.Optional(Quantity),
}, { additionalProperties: false });
export type ReceivePurchaseInput = Static<typeof ReceivePurchaseInput>;

/** An outside event for the fulfilment process of an order. */
export const OrderEventInput = Type.Object({
  event: Type.Enum(['stock.received', 'delivery.confirmed']),
  payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Makes a resent event the same event; derived from the body when left out' })),
}, { additionalProperties: false });
export type OrderEventInput = Static<typeof OrderEventInput>;

export const ReopenTicketInput = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
