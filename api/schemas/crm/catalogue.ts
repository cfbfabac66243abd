import { Type } from 'typebox';
import { Product, ProductWithTiers, Supplier } from '../../../db/crm/catalogue/catalogue.schema';
import { StockLevel } from '../../../db/crm/orders/inventory.schema';
import { CrmPage, PageQuery } from './crm-records';

export const ProductView = Type.Object(
  {
    ...ProductWithTiers.properties,
    stock: Type.Optional(
      Type.Array(StockLevel, { description: 'Stock per warehouse; omitted for roles without stock.read.' }),
    ),
  },
  { additionalProperties: true, description: 'A product with its price tiers and stock per warehouse.' },
);

export const ProductListQuery = Type.Object(
  { productLine: Type.Optional(Type.String()), active: Type.Optional(Type.Boolean()), ...PageQuery },
  { additionalProperties: false },
);
export const ProductPage = CrmPage(Product);

export const SupplierListQuery = Type.Object(
  { productLine: Type.Optional(Type.String()), ...PageQuery },
  { additionalProperties: false },
);
export const SupplierPage = CrmPage(Supplier);
