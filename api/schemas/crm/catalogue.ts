import { Type } from 'typebox';
import { StockLevel } from '../../../db/crm/orders/inventory.schema';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';

const productFields = {
  sku: Type.String(), name: Type.String(), productLine: Type.String(), listPriceCents: Type.Integer(), active: Type.Boolean(), createdAt: Iso,
};
export const Product = CrmRecord(productFields, 'A product of the catalogue.');
export const PriceTier = Type.Object({ minQuantity: Type.Integer(), unitPriceCents: Type.Integer() });
export const ProductView = CrmRecord({
  ...productFields, priceTiers: Type.Array(PriceTier), stock: Type.Array(StockLevel),
}, 'A product with its price tiers and stock per warehouse.');

export const ProductListQuery = Type.Object({ productLine: Type.Optional(Type.String()), active: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false });
export const ProductPage = CrmPage(Product);

export const Supplier = CrmRecord({
  name: Type.String(), email: NullableText, phone: NullableText, productLines: Type.Array(Type.String()), createdAt: Iso,
}, 'A supplier purchase requests go to.');
export const SupplierListQuery = Type.Object({ productLine: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });
export const SupplierPage = CrmPage(Supplier);
