import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';
import { StartedProcesses } from './common';

const quoteFields = {
  customerId: Type.String(), opportunityId: NullableText, ownerId: NullableText,
  status: Type.String({ description: 'draft | submitted | approved | rejected | changes-requested | accepted' }),
  currentVersion: Type.Integer(), createdAt: Iso, updatedAt: Iso,
};
export const Quote = CrmRecord(quoteFields, 'A quote.');
export const QuoteLine = Type.Object({
  lineNo: Type.Integer(), productId: Type.String(), quantity: Type.Integer(), listPriceCents: Type.Integer(),
  unitPriceCents: Type.Integer({ description: '0 until the quote-approval process prices it' }), discountCents: Type.Integer(), lineTotalCents: Type.Integer(),
});
export const QuoteVersion = Type.Object({
  version: Type.Integer(), listTotalCents: Type.Integer(), totalCents: Type.Integer(), discountPercent: Type.Number(),
  changeReason: NullableText, createdBy: NullableText, createdAt: Iso, lines: Type.Array(QuoteLine),
});
export const QuoteView = CrmRecord({ ...quoteFields, versions: Type.Array(QuoteVersion) }, 'A quote with every version and its lines.');
export const CreatedQuote = Type.Object({ quote: QuoteView, ...StartedProcesses });
export const QuoteListQuery = Type.Object({
  customerId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const QuotePage = CrmPage(Quote);

const orderFields = {
  customerId: Type.String(), quoteId: NullableText,
  status: Type.String({ description: 'confirmed | awaiting-stock | partially-shipped | shipped | delivered | cancelled' }),
  ownerId: NullableText, totalCents: Type.Integer(), createdAt: Iso, updatedAt: Iso,
};
export const Order = CrmRecord(orderFields, 'A sales order.');
export const ShipmentNote = CrmRecord({
  orderId: Type.String(), warehouseId: Type.String(), lines: Type.Array(Type.Unknown()), status: Type.String(), createdAt: Iso,
}, 'A shipment note sent to a warehouse.');
export const PurchaseRequest = CrmRecord({
  productId: Type.String(), supplierId: NullableText, orderId: NullableText, quantity: Type.Integer(),
  status: Type.String({ description: 'requested | ordered | received | cancelled' }), createdAt: Iso, updatedAt: Iso,
}, 'A request to buy missing stock.');
export const OrderView = CrmRecord({
  ...orderFields,
  lines: Type.Array(Type.Object({
    lineNo: Type.Integer(), productId: Type.String(), quantity: Type.Integer(), unitPriceCents: Type.Integer(), discountCents: Type.Integer(),
    lineTotalCents: Type.Integer(), shippedQuantity: Type.Integer(),
  })),
  reservations: Type.Array(Type.Object({
    lineNo: Type.Integer(), productId: Type.String(), warehouseId: Type.String(), quantity: Type.Integer(), status: Type.String(),
  })),
  shipmentNotes: Type.Array(ShipmentNote),
  purchaseRequests: Type.Array(PurchaseRequest),
}, 'An order with what fulfilment has done: shipped quantities, reservations, shipment notes, purchase requests.');
export const CreatedOrder = Type.Object({ order: OrderView, ...StartedProcesses });
export const OrderListQuery = Type.Object({
  status: Type.Optional(Type.String()), customerId: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const OrderPage = CrmPage(Order);

export const Signalled = Type.Object({
  accepted: Type.Literal(true),
  event: Type.String(),
  eventId: Type.String(),
  instanceIds: Type.Array(Type.String(), { description: 'The running instances that took the event.' }),
});

export const ShipmentNoteQuery = Type.Object({ orderId: Type.Optional(Type.String()), warehouseId: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });
export const ShipmentNotePage = CrmPage(ShipmentNote);
export const PurchaseRequestQuery = Type.Object({
  orderId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), productId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const PurchaseRequestPage = CrmPage(PurchaseRequest);
export const ReceivedPurchase = Type.Object({
  purchaseRequest: PurchaseRequest,
  stock: Type.Object({ productId: Type.String(), warehouseId: Type.String(), onHand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer(), updatedAt: Iso }),
  processNotified: Type.Boolean({ description: 'Whether a running process of the order took the stock.received event.' }),
  instanceIds: Type.Array(Type.String()),
});
