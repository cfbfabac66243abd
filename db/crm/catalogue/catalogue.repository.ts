import type { EntityManager, QueryResult } from '@mikro-orm/postgresql';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { PriceTier, Product, Supplier } from './catalogue.entity';
import type {
  CreateProductInput,
  CreateSupplierInput,
  Product as ProductRecord,
  ProductWithTiers,
  Supplier as SupplierRecord,
} from './catalogue.schema';
import { recordChange } from '../../repositories/audit-log';

export interface ProductFilters {
  productLine?: string;
  active?: boolean;
  cursor?: string;
  limit?: number;
}
export interface SupplierFilters {
  productLine?: string;
  cursor?: string;
  limit?: number;
}

/**
 * The catalogue's tables (products, price_tiers, suppliers): the only reader and writer of them.
 * Made per unit of work on its EntityManager; inside a transaction it shares that transaction.
 */
export class CatalogueRepository {
  constructor(private readonly em: EntityManager) {}

  /** Newest first, keyset pages. */
  listProducts(filters: ProductFilters): Promise<Page<Product>> {
    return queryKeysetPage(this.em, {
      entity: Product,
      table: 'products',
      orderColumn: 'created_at',
      equals: { product_line: filters.productLine, active: filters.active },
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /** The product with its price tiers (lowest quantity first). */
  findProduct(id: string): Promise<Product | null> {
    return this.em.findOne(Product, id, { populate: ['priceTiers'] });
  }

  /** The products among `ids` that exist (active or not), each with its tiers, by id. */
  async productsWithTiers(ids: readonly string[]): Promise<Map<string, Product>> {
    if (ids.length === 0) return new Map();
    const products = await this.em.find(Product, { id: { $in: [...new Set(ids)] } }, { populate: ['priceTiers'] });
    return new Map(products.map((product) => [product.id, product]));
  }

  /** List prices of the products among `ids` that exist. */
  async listPrices(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const products = await this.em.find(Product, { id: { $in: [...new Set(ids)] } });
    return new Map(products.map((product) => [product.id, product.listPriceCents]));
  }

  /**
   * Adds a product (id `PR-…`) with its tiers (`PT-…`); null when the SKU is taken. The insert
   * skips a taken SKU in the one statement, so a concurrent duplicate answers "taken" instead of
   * aborting the caller's transaction with a unique violation.
   */
  async createProduct(input: CreateProductInput): Promise<Product | null> {
    const id = newCrmId('PR');
    const inserted = await this.em
      .createQueryBuilder(Product)
      .insert({
        id,
        sku: input.sku,
        name: input.name,
        productLine: input.productLine,
        listPriceCents: input.listPriceCents,
      })
      .onConflict('sku')
      .ignore()
      .execute<QueryResult<Product>>('run');
    if (inserted.affectedRows === 0) return null;
    await recordChange(this.em, { action: 'Product.create', subject: `products:${id}`, after: { ...input } });
    const tiers = input.priceTiers ?? [];
    if (tiers.length > 0) {
      await this.em.insertMany(
        PriceTier,
        tiers.map((tier) => ({
          id: newCrmId('PT'),
          product: id,
          minQuantity: tier.minQuantity,
          unitPriceCents: tier.unitPriceCents,
        })),
      );
    }
    return this.findProduct(id);
  }

  /** Newest first, keyset pages; `productLine` keeps the suppliers serving that line. */
  listSuppliers(filters: SupplierFilters): Promise<Page<Supplier>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.productLine !== undefined) {
      where.push('? = any(product_lines)');
      params.push(filters.productLine);
    }
    return queryKeysetPage(this.em, {
      entity: Supplier,
      table: 'suppliers',
      orderColumn: 'created_at',
      where,
      params,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  findSupplier(id: string): Promise<Supplier | null> {
    return this.em.findOne(Supplier, id);
  }

  /** The first supplier (by id) serving the product line; null when none does (purchasing then picks one by hand). */
  firstSupplierOfProductLine(productLine: string): Promise<Supplier | null> {
    return this.em.findOne(Supplier, { productLines: { $contains: [productLine] } }, { orderBy: { id: 'asc' } });
  }

  /** Adds a supplier (id `S-…`). */
  async createSupplier(input: CreateSupplierInput): Promise<Supplier> {
    const supplier = this.em.create(Supplier, {
      id: newCrmId('S'),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      productLines: input.productLines ?? [],
    });
    await this.em.flush();
    return supplier;
  }
}

export function toProductRecord(product: Product): ProductRecord {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    productLine: product.productLine,
    listPriceCents: product.listPriceCents,
    active: product.active,
    createdAt: new Date(product.createdAt).toISOString(),
  };
}

/** The product with its tiers; the tiers must have been loaded (`findProduct`, `productsWithTiers`). */
export function toProductWithTiers(product: Product): ProductWithTiers {
  return {
    ...toProductRecord(product),
    priceTiers: product.priceTiers
      .getItems()
      .map((tier) => ({ minQuantity: tier.minQuantity, unitPriceCents: tier.unitPriceCents })),
  };
}

export function toSupplierRecord(supplier: Supplier): SupplierRecord {
  return {
    id: supplier.id,
    name: supplier.name,
    email: supplier.email ?? null,
    phone: supplier.phone ?? null,
    productLines: supplier.productLines,
    createdAt: new Date(supplier.createdAt).toISOString(),
  };
}
