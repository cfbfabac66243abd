import { Type, type Static } from 'typebox';
import {
  Cents, CustomerGrade, CustomerLocale, Email, Id, IsoDate, Phone, PriceCents, Quantity, TicketCategory, TicketPriority, Text,
} from './common';

/** A new sales lead (starts lead assignment). */
export const CreateLeadInput = Type.Object({
  source: Text(100),
  company: Text(),
  contactName: Text(),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  region: Type.Optional(Text(100)),
  productInterest: Type.Optional(Text(100)),
  estimatedValueCents: Type.Optional(Cents),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
export type CreateLeadInput = Static<typeof CreateLeadInput>;

/** A contact person when created with its customer. */
export const ContactFields = Type.Object({
  name: Text(),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  role: Type.Optional(Text(100)),
  isPrimary: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type ContactFields = Static<typeof ContactFields>;

/** A contact person added to an existing customer. */
export const CreateContactInput = Type.Object({
  customerId: Id,
  ...ContactFields.properties,
}, { additionalProperties: false });
export type CreateContactInput = Static<typeof CreateContactInput>;

export const CreateCustomerInput = Type.Object({
  name: Text(),
  grade: Type.Optional(CustomerGrade),
  region: Type.Optional(Text(100)),
  industry: Type.Optional(Text(100)),
  source: Type.Optional(Text(100)),
  discountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: '0.05 = 5 %; at most 4 decimals' })),
  locale: Type.Optional(CustomerLocale),
  birthday: Type.Optional(IsoDate),
  ownerId: Type.Optional(Id),
  contacts: Type.Optional(Type.Array(ContactFields, { maxItems: 50 })),
}, { additionalProperties: false });
export type CreateCustomerInput = Static<typeof CreateCustomerInput>;

export const PriceTierInput = Type.Object({
  minQuantity: Quantity,
  unitPriceCents: PriceCents,
}, { additionalProperties: false });

export const CreateProductInput = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
  name: Text(),
  productLine: Text(100),
  listPriceCents: PriceCents,
  priceTiers: Type.Optional(Type.Array(PriceTierInput, { maxItems: 20 })),
}, { additionalProperties: false });
export type CreateProductInput = Static<typeof CreateProductInput>;

export const OrderLineInput = Type.Object({
  productId: Id,
  quantity: Quantity,
  unitPriceCents: Type.Optional(Cents),
}, { additionalProperties: false });

/** A new sales order (starts order fulfilment). */
export const CreateOrderInput = Type.Object({
  customerId: Id,
  quoteId: Type.Optional(Id),
  lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export type CreateOrderInput = Static<typeof CreateOrderInput>;

export const QuoteLineRequest = Type.Object({
  productId: Id,
  quantity: Quantity,
}, { additionalProperties: false });

/** A request for a quote, or for a new version of one (starts quote approval). */
export const QuoteRequestInput = Type.Object({
  customerId: Id,
  opportunityId: Type.Optional(Id),
  lines: Type.Array(QuoteLineRequest, { minItems: 1, maxItems: 500 }),
  requestedDiscountPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  changeReason: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type QuoteRequestInput = Static<typeof QuoteRequestInput>;

/** A service request or complaint (starts ticket handling). */
export const CreateTicketInput = Type.Object({
  customerId: Type.Optional(Id),
  contactEmail: Type.Optional(Email),
  contactPhone: Type.Optional(Phone),
  subject: Text(),
  body: Type.String({ maxLength: 20000 }),
  category: Type.Optional(TicketCategory),
  priority: Type.Optional(TicketPriority),
}, { additionalProperties: false });
export type CreateTicketInput = Static<typeof CreateTicketInput>;
