import { Type } from 'typebox';
import { Product, ProductWithTiers, Supplier } from '../../../db/crm/catalogue/catalogue.schema';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';

export const StockLevel = Type.Object({
  productId: Type.String(), warehouseId: Type.String(), onHand: Type.Integer(), reserved: Type.Integer(),
  available: Type.Integer({ description: 'onHand - reserved' }), updatedAt: Iso,
});
export const ProductView = Type.Object({
  ...ProductWithTiers.properties, stock: Type.Array(StockLevel),
}, { additionalProperties: true, description: 'A product with its price tiers and stock per warehouse.' });

export const ProductListQuery = Type.Object({ productLine: Type.Optional(Type.String()), active: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false });
export const ProductPage = CrmPage(Product);

export const Warehouse = CrmRecord({ name: Type.String(), region: NullableText, email: NullableText, createdAt: Iso }, 'A warehouse.');
export const WarehouseListQuery = Type.Object({ region: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });
export const WarehousePage = CrmPage(Warehouse);

export const StockQuery = Type.Object({ productId: Type.Optional(Type.String()), warehouseId: Type.Optional(Type.String()) }, { additionalProperties: false });
export const StockList = Type.Object({ items: Type.Array(StockLevel) });
export const StockParams = Type.Object({ productId: Type.String({ minLength: 1 }), warehouseId: Type.String({ minLength: 1 }) });

export const SupplierListQuery = Type.Object({ productLine: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });
export const SupplierPage = CrmPage(Supplier);
