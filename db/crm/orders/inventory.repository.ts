import { LockMode, raw, sql, type EntityManager } from '@mikro-orm/postgresql';
import { newCrmId } from '../crm-id';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { Stock, Warehouse } from './inventory.entity';
import type {
  CreateWarehouseInput,
  StockFilters,
  StockLevel,
  Warehouse as WarehouseRecord,
  WarehouseFilters,
} from './inventory.schema';
import { recordChange } from '../../repositories/audit-log';

/** Free units of one product in one warehouse, as locked for a reservation round. */
export interface FreeStock {
  productId: string;
  warehouseId: string;
  free: number;
}

/** Warehouses and the stock in them: the only reader and writer of `warehouses`, `stock` and the stock side of reservations. */
export class InventoryRepository {
  constructor(private readonly em: EntityManager) {}

  listWarehouses(filters: WarehouseFilters, page: { cursor?: string; limit?: number }): Promise<Page<Warehouse>> {
    return queryKeysetPage(this.em, {
      entity: Warehouse,
      table: 'warehouses',
      orderColumn: 'created_at',
      equals: { region: filters.region },
      cursor: page.cursor,
      limit: page.limit,
    });
  }

  findWarehouse(id: string): Promise<Warehouse | null> {
    return this.em.findOne(Warehouse, id);
  }

  /** A new warehouse (`W-…` unless the caller names it); null when the id is taken. */
  async createWarehouse(input: CreateWarehouseInput): Promise<Warehouse | null> {
    const id = input.id ?? newCrmId('W');
    if (await this.em.findOne(Warehouse, id)) return null;
    const warehouse = this.em.create(Warehouse, {
      id,
      name: input.name,
      region: input.region ?? null,
      email: input.email ?? null,
    });
    await this.em.flush();
    return warehouse;
  }

  /** At most 1000 stock rows, by product and warehouse. */
  listStock(filters: StockFilters): Promise<Stock[]> {
    return this.em.find(
      Stock,
      {
        ...(filters.productId === undefined ? {} : { productId: filters.productId }),
        ...(filters.warehouseId === undefined ? {} : { warehouseId: filters.warehouseId }),
      },
      { orderBy: { productId: 'asc', warehouseId: 'asc' }, limit: 1000 },
    );
  }

  lockStock(productId: string, warehouseId: string): Promise<Stock | null> {
    return this.em.findOne(Stock, { productId, warehouseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /**
   * Sets on-hand stock, adding the row if missing; the caller checked it is not below reserved.
   * One upsert, so two first settings of the same row cannot collide.
   */
  async setOnHand(productId: string, warehouseId: string, onHand: number): Promise<StockLevel> {
    return this.upsertOnHand(productId, warehouseId, onHand, 'excluded.on_hand');
  }

  /** Adds received goods to on-hand stock (adding the row if missing), relative to the stored value in one statement. */
  async addOnHand(productId: string, warehouseId: string, quantity: number): Promise<StockLevel> {
    return this.upsertOnHand(productId, warehouseId, quantity, 'stock.on_hand + excluded.on_hand');
  }

  /** Free stock (on hand − reserved) of each product over all warehouses; reads only. */
  async freeByProduct(productIds: readonly string[]): Promise<Map<string, number>> {
    const free = new Map<string, number>();
    if (productIds.length === 0) return free;
    for (const stock of await this.em.find(Stock, { productId: { $in: [...new Set(productIds)] } })) {
      free.set(stock.productId, (free.get(stock.productId) ?? 0) + stock.onHand - stock.reserved);
    }
    return free;
  }

  /**
   * Locks the stock rows of the products, ordered by product and warehouse so no two orders can
   * deadlock: two orders racing for the last units are served one after the other, and the second
   * reads what the first left.
   */
  async lockFreeStock(productIds: readonly string[]): Promise<FreeStock[]> {
    if (productIds.length === 0) return [];
    const rows = await this.em.find(
      Stock,
      { productId: { $in: [...new Set(productIds)] } },
      {
        orderBy: { productId: 'asc', warehouseId: 'asc' },
        lockMode: LockMode.PESSIMISTIC_WRITE,
      },
    );
    return rows.map((row) => ({
      productId: row.productId,
      warehouseId: row.warehouseId,
      free: row.onHand - row.reserved,
    }));
  }

  /**
   * Reserves `quantity` of a product in a warehouse for an order line. Raw SQL on purpose: the
   * stock update is conditional (only while on_hand − reserved still covers it) and relative, in
   * one statement, so it can never over-reserve even if a caller skipped the lock; and the
   * reservation is an upsert on the partial unique index (one open reservation per line and
   * warehouse), which tops up the open row instead of adding a second. False when the stock did not
   * cover it (the caller's lock makes that a bug).
   */
  async reserve(orderLineId: string, productId: string, warehouseId: string, quantity: number): Promise<boolean> {
    const updated = await this.em.execute<{ product_id: string }[]>(
      `update stock set reserved = reserved + ?, updated_at = now()
       where product_id = ? and warehouse_id = ? and on_hand - reserved >= ? returning product_id`,
      [quantity, productId, warehouseId, quantity],
    );
    if (updated.length === 0) return false;
    await this.em.execute(
      `insert into stock_reservations (id, order_line_id, product_id, warehouse_id, quantity, status)
       values (?, ?, ?, ?, ?, 'reserved')
       on conflict (order_line_id, warehouse_id) where status = 'reserved'
       do update set quantity = stock_reservations.quantity + excluded.quantity`,
      [newCrmId('RSV'), orderLineId, productId, warehouseId, quantity],
    );
    await recordChange(this.em, {
      action: 'Stock.reserve',
      subject: `stock:${productId}~~~${warehouseId}`,
      detail: { orderLineId, quantity },
    });
    return true;
  }

  /** Takes shipped units off the shelf and out of the reserved count, relative to the stored values (the row is not locked here). */
  async takeShipped(productId: string, warehouseId: string, quantity: number): Promise<void> {
    await this.em.nativeUpdate(
      Stock,
      { productId, warehouseId },
      {
        onHand: raw('on_hand - ?', [quantity]),
        reserved: raw('reserved - ?', [quantity]),
        updatedAt: sql.now(),
      },
    );
    await recordChange(this.em, {
      action: 'Stock.ship',
      subject: `stock:${productId}~~~${warehouseId}`,
      detail: { quantity },
    });
  }

  /**
   * Gives back the stock an order holds but has not shipped. Raw SQL: a set-based update of every
   * stock row the order's open reservations touch (relative, one statement), then those
   * reservations marked released.
   */
  async releaseHeldBy(orderId: string): Promise<void> {
    await this.em.execute(
      `update stock s set reserved = s.reserved - held.quantity, updated_at = now()
       from (select r.product_id, r.warehouse_id, sum(r.quantity) as quantity
             from stock_reservations r join order_lines l on l.id = r.order_line_id
             where l.order_id = ? and r.status = 'reserved' group by r.product_id, r.warehouse_id) held
       where s.product_id = held.product_id and s.warehouse_id = held.warehouse_id`,
      [orderId],
    );
    await this.em.execute(
      `update stock_reservations set status = 'released'
       where status = 'reserved' and order_line_id in (select id from order_lines where order_id = ?)`,
      [orderId],
    );
    await recordChange(this.em, { action: 'Stock.release', subject: `orders:${orderId}` });
  }

  /** The row as the upsert left it (not through the identity map, which may hold it as it was before). */
  private async upsertOnHand(
    productId: string,
    warehouseId: string,
    onHand: number,
    merged: string,
  ): Promise<StockLevel> {
    const [row] = await this.em.execute<{ on_hand: number; reserved: number; updated_at: string | Date }[]>(
      `insert into stock (product_id, warehouse_id, on_hand) values (?, ?, ?)
       on conflict (product_id, warehouse_id) do update set on_hand = ${merged}, updated_at = now()
       returning on_hand, reserved, updated_at`,
      [productId, warehouseId, onHand],
    );
    const level = { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
    await recordChange(this.em, {
      action: merged === 'excluded.on_hand' ? 'Stock.set' : 'Stock.receive',
      subject: `stock:${productId}~~~${warehouseId}`,
      after: { onHand: level.onHand },
      detail: merged === 'excluded.on_hand' ? null : { received: onHand },
    });
    return {
      productId,
      warehouseId,
      ...level,
      available: level.onHand - level.reserved,
      updatedAt: new Date(row!.updated_at).toISOString(),
    };
  }
}

export function toWarehouseRecord(warehouse: Warehouse): WarehouseRecord {
  return {
    id: warehouse.id,
    name: warehouse.name,
    region: warehouse.region ?? null,
    email: warehouse.email ?? null,
    createdAt: warehouse.createdAt.toISOString(),
  };
}

export function toStockLevel(stock: Stock): StockLevel {
  return {
    productId: stock.productId,
    warehouseId: stock.warehouseId,
    onHand: stock.onHand,
    reserved: stock.reserved,
    available: stock.onHand - stock.reserved,
    updatedAt: stock.updatedAt.toISOString(),
  };
}
