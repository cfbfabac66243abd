import { Type, type Static } from 'typebox';
import { Email, Phone, PriceCents, Quantity, Text } from '../fields/field-schemas';

/* The catalogue as the API and the activities see it: products, their price tiers, suppliers. */

const Iso = Type.String({ format: 'date-time' });
const NullableText = Type.Union([Type.String(), Type.Null()]);

export const PriceTier = Type.Object({ minQuantity: Type.Integer(), unitPriceCents: Type.Integer() });
export type PriceTier = Static<typeof PriceTier>;

const productFields = {
  id: Type.String(),
  sku: Type.String(),
  name: Type.String(),
  productLine: Type.String(),
  listPriceCents: Type.Integer(),
  active: Type.Boolean(),
  createdAt: Iso,
};
// Records stay open so a column added later reaches clients without a schema change here.
export const Product = Type.Object(productFields, {
  additionalProperties: true,
  description: 'A product of the catalogue.',
});
export type Product = Static<typeof Product>;

export const ProductWithTiers = Type.Object(
  { ...productFields, priceTiers: Type.Array(PriceTier) },
  { additionalProperties: true },
);
export type ProductWithTiers = Static<typeof ProductWithTiers>;

export const Supplier = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: NullableText,
    phone: NullableText,
    productLines: Type.Array(Type.String()),
    createdAt: Iso,
  },
  { additionalProperties: true, description: 'A supplier purchase requests go to.' },
);
export type Supplier = Static<typeof Supplier>;

export const PriceTierInput = Type.Object(
  {
    minQuantity: Quantity,
    unitPriceCents: PriceCents,
  },
  { additionalProperties: false },
);

export const CreateProductInput = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    name: Text(),
    productLine: Text(100),
    listPriceCents: PriceCents,
    priceTiers: Type.Optional(Type.Array(PriceTierInput, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type CreateProductInput = Static<typeof CreateProductInput>;

export const CreateSupplierInput = Type.Object(
  {
    name: Text(),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    productLines: Type.Optional(Type.Array(Text(100), { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateSupplierInput = Static<typeof CreateSupplierInput>;
