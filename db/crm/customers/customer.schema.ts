import { Type, type Static } from 'typebox';
import { CustomerGrade, CustomerLocale, Email, Id, IsoDate, Phone, Text } from '../fields/field-schemas';

/*
 * A customer and its contact people, written once: the records as the API returns them and the
 * inputs that create and change them.
 */

const NullableText = Type.Union([Type.String(), Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
/** Field-level access (contracts/roles.ts `contacts.read`): the API leaves these fields out. */
const OMITTED = 'omitted for roles without contacts.read';

// The records stay open so a column added later reaches clients without a schema change.
export const Contact = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    name: Type.String(),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: OMITTED })),
    phone: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: `E.164; ${OMITTED}` })),
    role: NullableText,
    isPrimary: Type.Boolean(),
    createdAt: Timestamp,
  },
  { additionalProperties: true, description: 'A contact person of a customer.' },
);
export type Contact = Static<typeof Contact>;

const customerFields = {
  id: Type.String(),
  name: Type.String(),
  grade: CustomerGrade,
  region: NullableText,
  industry: NullableText,
  source: NullableText,
  discountRate: Type.Number(),
  locale: CustomerLocale,
  birthday: NullableText,
  ownerId: NullableText,
  purchasedVolume: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
export const Customer = Type.Object(customerFields, { additionalProperties: true, description: 'A customer.' });
export type Customer = Static<typeof Customer>;

/**
 * What is open and what happened with a customer, counting only the records the reader may see;
 * a count of records the reader may not read at all is omitted.
 */
export const CustomerCounts = Type.Object(
  {
    openLeads: Type.Optional(Type.Integer()),
    openOpportunities: Type.Optional(Type.Integer()),
    quotes: Type.Optional(Type.Integer()),
    orders: Type.Optional(Type.Integer()),
    tickets: Type.Optional(Type.Integer()),
    openTickets: Type.Optional(Type.Integer()),
  },
  {
    description:
      "Counts of the records the reader may see (their own, their team's or all); a count is omitted for roles without the right to read that kind of record.",
  },
);
export type CustomerCounts = Static<typeof CustomerCounts>;

export const CustomerView = Type.Object(
  { ...customerFields, contacts: Type.Array(Contact), counts: CustomerCounts },
  {
    additionalProperties: true,
    description: 'A customer with its contacts and what is open with it (a small 360° view).',
  },
);
export type CustomerView = Static<typeof CustomerView>;

export const CustomerListFilters = {
  grade: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  ownerId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ description: 'Part of the name, any case.' })),
};

/** A contact person when created with its customer. */
export const ContactFields = Type.Object(
  {
    name: Text(),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    role: Type.Optional(Text(100)),
    isPrimary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ContactFields = Static<typeof ContactFields>;

/** A contact person added to an existing customer. */
export const CreateContactInput = Type.Object(
  {
    customerId: Id,
    ...ContactFields.properties,
  },
  { additionalProperties: false },
);
export type CreateContactInput = Static<typeof CreateContactInput>;

export const CreateCustomerInput = Type.Object(
  {
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
  },
  { additionalProperties: false },
);
export type CreateCustomerInput = Static<typeof CreateCustomerInput>;

export const UpdateCustomerInput = Type.Object(
  {
    name: Type.Optional(Text()),
    grade: Type.Optional(CustomerGrade),
    region: Type.Optional(Text(100)),
    industry: Type.Optional(Text(100)),
    discountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    locale: Type.Optional(CustomerLocale),
    birthday: Type.Optional(IsoDate),
    ownerId: Type.Optional(Id),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerInput = Static<typeof UpdateCustomerInput>;
