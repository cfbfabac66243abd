import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { newCrmId } from '../crm-id';
import { ownerBranches, ownerCondition } from '../owner-filter';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { Order, OrderLine, PurchaseRequest, ShipmentNote, StockReservation } from './order.entity';
import type {
  Order as OrderRecord,
  OrderFilters,
  OrderFulfilment,
  OrderStatus,
  PurchaseRequest as PurchaseRequestRecord,
  PurchaseRequestFilters,
  ShipmentNote as ShipmentNoteRecord,
  ShipmentNoteFilters,
  ShipmentNoteLine,
  ShippedNote,
} from './order.schema';

/** An order line with its product and how much of it is covered: shipped, and reserved but not shipped yet. */
export interface LineNeed {
  id: string;
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  productLine: string;
  quantity: number;
  shippedQuantity: number;
  openReserved: number;
}

/** What a line still needs from stock: neither shipped nor reserved. */
export function remainingNeed(line: LineNeed): number {
  return Math.max(0, line.quantity - line.shippedQuantity - line.openReserved);
}

export interface NewOrder {
  customerId: string;
  quoteId: string | null;
  ownerId: string | null;
  totalCents: number;
  lines: { lineNo: number; productId: string; quantity: number; unitPriceCents: number; discountCents: number }[];
}

/** Whose orders a list includes (the reader's scope); undefined: every order. */
export interface OwnerFilter {
  ownerIds?: readonly string[] | undefined;
}

interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * Orders with their lines, stock reservations, shipment notes and purchase requests: the only
 * reader and writer of those tables (stock levels are the InventoryRepository's). One instance per
 * unit of work, on that unit's EntityManager.
 */
export class OrderRepository {
  constructor(private readonly em: EntityManager) {}

  find(id: string): Promise<Order | null> {
    return this.em.findOne(Order, id);
  }

  /** The order with its owner loaded (for documents and mails). */
  findWithOwner(id: string): Promise<Order | null> {
    return this.em.findOne(Order, id, { populate: ['owner'] });
  }

  /** The order, locked for this transaction: every writer of an order, its lines or their stock takes this lock first. */
  lock(id: string): Promise<Order | null> {
    return this.em.findOne(Order, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  findByQuote(quoteId: string): Promise<Order | null> {
    return this.em.findOne(Order, { quote: quoteId });
  }

  list(filters: OrderFilters & OwnerFilter, page: PageRequest): Promise<Page<Order>> {
    const equals = { status: filters.status, customer_id: filters.customerId, owner_id: filters.ownerId };
    return queryKeysetPage(this.em, {
      entity: Order,
      table: 'orders',
      orderColumn: 'created_at',
      equals,
      anyOf: ownerBranches(filters.ownerIds),
      cursor: page.cursor,
      limit: page.limit,
    });
  }

  /**
   * A confirmed order (`O-…`) with its lines (`OL-…`), written now; null when its quote has an
   * order already (one order per quote: the unique index orders_quote_unique decides a race).
   */
  async create(input: NewOrder): Promise<Order | null> {
    if (input.quoteId !== null && (await this.findByQuote(input.quoteId))) return null;
    const order = this.em.create(Order, {
      id: newCrmId('O'),
      customer: input.customerId,
      quote: input.quoteId,
      owner: input.ownerId,
      status: 'confirmed',
      totalCents: input.totalCents,
      orderedQuantity: input.lines.reduce((sum, line) => sum + line.quantity, 0),
    });
    for (const { productId, ...line } of input.lines) {
      this.em.create(OrderLine, { id: newCrmId('OL'), order, ...line, product: productId, shippedQuantity: 0 });
    }
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && input.quoteId !== null) return null;
      throw error;
    }
    return order;
  }

  /** How many orders a customer has (for the customer's 360° view). */
  countForCustomer(customerId: string): Promise<number> {
    return this.em.count(Order, { customer: customerId });
  }

  setStatus(order: Order, status: OrderStatus): void {
    order.status = status;
  }

  /** The order's lines in order, locked for this transaction (after the order's own lock), with their products loaded. */
  async lockLines(orderId: string): Promise<OrderLine[]> {
    const lines = await this.em.find(
      OrderLine,
      { order: orderId },
      { orderBy: { lineNo: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    // A second query: a lock cannot take the joined products along.
    await this.em.populate(lines, ['product']);
    return lines;
  }

  /** The order's lines with product and cover; `lock` locks the lines too. */
  async lineNeeds(orderId: string, options: { lock?: boolean } = {}): Promise<LineNeed[]> {
    const lines =
      options.lock === true
        ? await this.lockLines(orderId)
        : await this.em.find(OrderLine, { order: orderId }, { orderBy: { lineNo: 'asc' }, populate: ['product'] });
    const open = await this.em.find(StockReservation, {
      orderLine: { $in: lines.map((line) => line.id) },
      status: 'reserved',
    });
    return lines.map((line) => {
      const product = line.product.getEntity();
      return {
        id: line.id,
        lineNo: line.lineNo,
        productId: product.id,
        sku: product.sku,
        name: product.name,
        productLine: product.productLine,
        quantity: line.quantity,
        shippedQuantity: line.shippedQuantity,
        openReserved: open.filter((r) => r.orderLine.id === line.id).reduce((sum, r) => sum + r.quantity, 0),
      };
    });
  }

  /** The open reservations of these lines, locked, by warehouse and then line order. */
  async lockOpenReservations(lines: readonly OrderLine[]): Promise<StockReservation[]> {
    const lineNo = new Map(lines.map((line) => [line.id, line.lineNo]));
    const open = await this.em.find(
      StockReservation,
      { orderLine: { $in: [...lineNo.keys()] }, status: 'reserved' },
      {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      },
    );
    return open.sort(
      (a, b) => compareText(a.warehouseId, b.warehouseId) || lineNo.get(a.orderLine.id)! - lineNo.get(b.orderLine.id)!,
    );
  }

  /** Marks a locked reservation shipped and adds its units to its (locked) line's and order's shipped quantity. */
  markShipped(order: Order, reservation: StockReservation, line: OrderLine): void {
    reservation.status = 'shipped';
    line.shippedQuantity += reservation.quantity;
    order.shippedQuantity += reservation.quantity;
  }

  /** The note of one warehouse in a shipment round, keyed `<key>:<warehouseId>` (unique per order); counted on the (locked) order. */
  addShipmentNote(order: Order, warehouseId: string, key: string, lines: ShipmentNoteLine[]): ShipmentNote {
    const createdAt = new Date();
    order.shipmentCount += 1;
    order.firstShippedAt ??= createdAt;
    return this.em.create(ShipmentNote, {
      id: newCrmId('SN'),
      order,
      warehouse: warehouseId,
      idempotencyKey: `${key}:${warehouseId}`,
      lines,
      status: 'created',
      createdAt,
    });
  }

  /** The notes of one shipment round: those whose key is `<key>:<their warehouse>`, by warehouse. */
  async findShipmentRound(orderId: string, key: string): Promise<ShippedNote[]> {
    const notes = await this.em.find(
      ShipmentNote,
      { order: orderId, idempotencyKey: { $like: `${escapeLike(key)}:%` } },
      { populate: ['warehouse'] },
    );
    return notes
      .filter((note) => note.idempotencyKey === `${key}:${note.warehouse.id}`)
      .sort((a, b) => compareText(a.warehouse.id, b.warehouse.id))
      .map((note) => {
        const warehouse = note.warehouse.getEntity();
        return {
          id: note.id,
          warehouseId: warehouse.id,
          warehouseName: warehouse.name,
          warehouseEmail: warehouse.email ?? null,
          lines: note.lines,
        };
      });
  }

  /** Shipment notes; with `ownerIds`, only those of orders one of them owns. */
  listShipmentNotes(filters: ShipmentNoteFilters & OwnerFilter, page: PageRequest): Promise<Page<ShipmentNote>> {
    const equals = { order_id: filters.orderId, warehouse_id: filters.warehouseId };
    return queryKeysetPage(this.em, {
      entity: ShipmentNote,
      table: 'shipment_notes',
      orderColumn: 'created_at',
      equals,
      ...ofOrdersOwnedBy(filters.ownerIds),
      cursor: page.cursor,
      limit: page.limit,
    });
  }

  /** Every purchase request of the order, oldest first. */
  purchaseRequestsOf(orderId: string): Promise<PurchaseRequest[]> {
    return this.em.find(PurchaseRequest, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Writes what is pending, then loads the requests' suppliers (for the mails that go to them). */
  async withSuppliers(requests: PurchaseRequest[]): Promise<PurchaseRequest[]> {
    await this.em.flush();
    await this.em.populate(requests, ['supplier']);
    return requests;
  }

  /** A new purchase request (`PRQ-…`); the unique `idempotencyKey` keeps one per key. */
  addPurchaseRequest(input: {
    idempotencyKey: string;
    orderId: string;
    productId: string;
    supplierId: string | null;
    quantity: number;
  }): PurchaseRequest {
    return this.em.create(PurchaseRequest, {
      id: newCrmId('PRQ'),
      idempotencyKey: input.idempotencyKey,
      order: input.orderId,
      product: input.productId,
      supplier: input.supplierId,
      quantity: input.quantity,
      status: 'requested',
    });
  }

  /** Purchase requests; with `ownerIds`, only those of orders one of them owns (stock purchases without an order are left out). */
  listPurchaseRequests(
    filters: PurchaseRequestFilters & OwnerFilter,
    page: PageRequest,
  ): Promise<Page<PurchaseRequest>> {
    const equals = { order_id: filters.orderId, status: filters.status, product_id: filters.productId };
    return queryKeysetPage(this.em, {
      entity: PurchaseRequest,
      table: 'purchase_requests',
      orderColumn: 'created_at',
      equals,
      ...ofOrdersOwnedBy(filters.ownerIds),
      cursor: page.cursor,
      limit: page.limit,
    });
  }

  lockPurchaseRequest(id: string): Promise<PurchaseRequest | null> {
    return this.em.findOne(PurchaseRequest, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The goods of a (locked) request arrived. */
  async markReceived(request: PurchaseRequest): Promise<void> {
    request.status = 'received';
    await this.em.flush();
  }

  /** What fulfilment has done with an order: lines with shipped quantities, reservations, notes, purchases. */
  async fulfilment(orderId: string): Promise<OrderFulfilment> {
    const lines = await this.em.find(OrderLine, { order: orderId }, { orderBy: { lineNo: 'asc' } });
    const lineNo = new Map(lines.map((line) => [line.id, line.lineNo]));
    const [reservations, notes, purchases] = await Promise.all([
      this.em.find(StockReservation, { orderLine: { $in: [...lineNo.keys()] } }),
      this.em.find(ShipmentNote, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      this.purchaseRequestsOf(orderId),
    ]);
    return {
      lines: lines.map((line) => ({
        lineNo: line.lineNo,
        productId: line.product.id,
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
        discountCents: line.discountCents,
        lineTotalCents: line.quantity * line.unitPriceCents - line.discountCents,
        shippedQuantity: line.shippedQuantity,
      })),
      reservations: reservations
        .map((r) => ({
          lineNo: lineNo.get(r.orderLine.id)!,
          productId: r.productId,
          warehouseId: r.warehouseId,
          quantity: r.quantity,
          status: r.status,
        }))
        .sort((a, b) => a.lineNo - b.lineNo || compareText(a.warehouseId, b.warehouseId)),
      shipmentNotes: notes.map(toShipmentNoteRecord),
      purchaseRequests: purchases.map(toPurchaseRequestRecord),
    };
  }

  /**
   * What the order's customer follows from a mail link: its lines by product name and how much
   * of each has shipped, and its shipment notes by status and date. No prices, no warehouses, no
   * ids but the order's: the page is reachable by anyone holding the mail.
   */
  async customerView(orderId: string): Promise<CustomerOrderView | null> {
    const order = await this.em.findOne(Order, orderId);
    if (!order) return null;
    const [lines, notes] = await Promise.all([
      this.em.find(OrderLine, { order: orderId }, { orderBy: { lineNo: 'asc' }, populate: ['product'] }),
      this.em.find(ShipmentNote, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    ]);
    return {
      customerId: order.customer.id,
      order: {
        id: order.id,
        status: order.status,
        createdAt: order.createdAt.toISOString(),
        updatedAt: order.updatedAt.toISOString(),
        lines: lines.map((line) => ({
          product: line.product.getEntity().name,
          quantity: line.quantity,
          shippedQuantity: line.shippedQuantity,
        })),
        shipments: notes.map((note) => ({
          status: note.status,
          createdAt: note.createdAt.toISOString(),
          lines: note.lines.map((line) => ({ product: line.name, quantity: line.quantity })),
        })),
      },
    };
  }

  flush(): Promise<void> {
    return this.em.flush();
  }
}

export interface CustomerOrderView {
  customerId: string;
  order: {
    id: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    lines: { product: string; quantity: number; shippedQuantity: number }[];
    shipments: { status: string; createdAt: string; lines: { product: string; quantity: number }[] }[];
  };
}

export function toOrderRecord(order: Order): OrderRecord {
  return {
    id: order.id,
    customerId: order.customer.id,
    quoteId: order.quote?.id ?? null,
    status: order.status,
    ownerId: order.owner?.id ?? null,
    totalCents: order.totalCents,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function toShipmentNoteRecord(note: ShipmentNote): ShipmentNoteRecord {
  return {
    id: note.id,
    orderId: note.order.id,
    warehouseId: note.warehouse.id,
    lines: note.lines,
    status: note.status,
    createdAt: note.createdAt.toISOString(),
  };
}

export function toPurchaseRequestRecord(request: PurchaseRequest): PurchaseRequestRecord {
  return {
    id: request.id,
    productId: request.product.id,
    supplierId: request.supplier?.id ?? null,
    orderId: request.order?.id ?? null,
    quantity: request.quantity,
    status: request.status,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}

/** Ids by code unit: the order only has to be the same on every call (a retry returns what the first call did). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The keyset condition of records that belong to an order (shipment notes, purchase requests):
 * with `ownerIds`, only those of orders one of them owns (records without an order are then left
 * out); without, every record, order or not.
 */
function ofOrdersOwnedBy(ownerIds: readonly string[] | undefined): { where: string[]; params: unknown[] } {
  if (ownerIds === undefined) return { where: [], params: [] };
  const owners = ownerCondition(ownerIds);
  return { where: [`order_id in (select id from orders where ${owners.sql})`], params: owners.params };
}
