import type { CatalogEntry } from '../../catalog';
import {
  CreatedOrder, CreateOrderFromQuoteParams, CreateShipmentNoteParams, LoadedOrder, OrderRef, OrderStatusResult,
  PurchaseRequests, SetOrderStatusParams, ShipmentNotes, StockCheck, StockReservation,
} from './order-schemas';
import {
  PricedQuoteVersion, PriceQuoteVersionParams, QuoteStatusResult, ReviseQuoteParams, RevisedQuote, SetQuoteStatusParams,
} from './quote-schemas';

/** The CRM sales activities (leads, quotes, orders, stock) as templates may call them. */
export const CRM_SALES_CATALOG: Record<string, CatalogEntry> = {
  'crm.priceQuoteVersion': {
    description: 'Price a quote version from list prices, tiers, the customer\'s discount and the rep\'s requested discount, write the prices back, and return it with its customer and owner; policy: tier basis, discount on tiered lines.',
    params: PriceQuoteVersionParams, result: PricedQuoteVersion,
  },
  'crm.setQuoteStatus': {
    description: 'Set a quote\'s status (submitted, approved, rejected, changes-requested, accepted); an accepted quote stays accepted.',
    params: SetQuoteStatusParams, result: QuoteStatusResult,
  },
  'crm.reviseQuote': {
    description: 'Write version fromVersion+1 of a quote (new lines at list price, or the old ones copied) and submit it again; once per version.',
    params: ReviseQuoteParams, result: RevisedQuote,
  },
  'crm.createOrderFromQuote': {
    description: 'Turn a quote\'s current version into a confirmed order at the quoted prices, accept the quote and raise order.placed; one order per quote.',
    params: CreateOrderFromQuoteParams, result: CreatedOrder,
  },
  'crm.loadOrder': {
    description: 'An order with its customer (locale, e-mail), owner and lines.',
    params: OrderRef, result: LoadedOrder,
  },
  'crm.checkStock': {
    description: 'Whether free stock covers what each order line still needs (read-only).',
    params: OrderRef, result: StockCheck,
  },
  'crm.reserveStock': {
    description: 'Reserve what each order line still needs, warehouses with most free stock first; never reserves twice and never more than on hand. Short orders become awaiting-stock.',
    params: OrderRef, result: StockReservation,
  },
  'crm.createShipmentNote': {
    description: 'Ship the reserved stock: one note per warehouse, stock lowered, order shipped or partially-shipped; once per key.',
    params: CreateShipmentNoteParams, result: ShipmentNotes,
  },
  'crm.createPurchaseRequests': {
    description: 'Request purchase of what the order\'s lines still lack from the first supplier of the product line; a line with a pending request gets no second one.',
    params: OrderRef, result: PurchaseRequests,
  },
  'crm.setOrderStatus': {
    description: 'Set an order\'s status; delivered raises order.delivered and adds to the customer\'s purchased volume once, cancelled releases its stock; delivered and cancelled are final.',
    params: SetOrderStatusParams, result: OrderStatusResult,
  },
};
