import { Type, type Static } from 'typebox';
import { Email, Text } from '../fields/field-schemas';

/* Warehouses and stock: the records as the API returns them, and their inputs. */

const Timestamp = Type.String({ format: 'date-time' });
const NullableText = Type.Union([Type.String(), Type.Null()]);

export const Warehouse = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    region: NullableText,
    email: NullableText,
    createdAt: Timestamp,
  },
  { description: 'A warehouse.' },
);
export type Warehouse = Static<typeof Warehouse>;

export const StockLevel = Type.Object({
  productId: Type.String(),
  warehouseId: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer({ description: 'onHand - reserved' }),
  updatedAt: Timestamp,
});
export type StockLevel = Static<typeof StockLevel>;

export const CreateWarehouseInput = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })),
    name: Text(),
    region: Type.Optional(Text(100)),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export type CreateWarehouseInput = Static<typeof CreateWarehouseInput>;

export const SetStockInput = Type.Object(
  {
    onHand: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);
export type SetStockInput = Static<typeof SetStockInput>;

export const WarehouseFilters = Type.Object({ region: Type.Optional(Type.String()) }, { additionalProperties: false });
export type WarehouseFilters = Static<typeof WarehouseFilters>;
export const StockFilters = Type.Object(
  { productId: Type.Optional(Type.String()), warehouseId: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type StockFilters = Static<typeof StockFilters>;
export const StockKey = Type.Object({
  productId: Type.String({ minLength: 1 }),
  warehouseId: Type.String({ minLength: 1 }),
});
