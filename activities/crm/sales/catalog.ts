import type { ActivityContract } from '../../../dsl/activity-contract';
import {
  AssignLeadParams, DisqualifyLeadParams, LeadAssignment, LeadStatusResult, QualifiedLead, QualifyLeadParams,
  ReassignLeadParams, RecordLeadContactParams,
} from './lead-schemas';
import {
  CreatedOrder, CreateOrderFromQuoteParams, CreateShipmentNoteParams, LoadedOrder, OrderRef, OrderStatusResult,
  PurchaseRequests, SetOrderStatusParams, ShipmentNotes, StockCheck, StockReservation,
} from './order-schemas';

/** The CRM sales activities (leads, quotes, orders, stock) as templates may call them. */
export const CRM_SALES_CATALOG: Record<string, ActivityContract> = {
  'crm.assignLead': {
    description: 'Give a lead its owner: the least-loaded rep of its region covering its product, else its region manager\'s queue (outcome fallback, lead stays unowned); policy: eligible roles, product-line requirement, manager role.',
    params: AssignLeadParams, result: LeadAssignment,
  },
  'crm.reassignLead': {
    description: 'Take a lead from a rep and give it to the next best rep by the same rule, else the manager\'s queue; a lead that moved on already keeps its owner.',
    params: ReassignLeadParams, result: LeadAssignment,
  },
  'crm.recordLeadContact': {
    description: 'Record a contact with a lead: status contacted (unless decided), the note kept once per noteKey.',
    params: RecordLeadContactParams, result: LeadStatusResult,
  },
  'crm.qualifyLead': {
    description: 'Convert a lead into a customer (grade C) with its primary contact and an opportunity; a qualified lead returns what it became.',
    params: QualifyLeadParams, result: QualifiedLead,
  },
  'crm.disqualifyLead': {
    description: 'Close a lead as disqualified, with the reason as a note.',
    params: DisqualifyLeadParams, result: LeadStatusResult,
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
