import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';

export const Contact = CrmRecord({
  customerId: Type.String(), name: Type.String(), email: NullableText, phone: Type.Union([Type.String({ description: 'E.164' }), Type.Null()]),
  role: NullableText, isPrimary: Type.Boolean(), createdAt: Iso,
}, 'A contact person of a customer.');

const customerFields = {
  name: Type.String(), grade: Type.String(), region: NullableText, industry: NullableText, source: NullableText,
  discountRate: Type.Number(), locale: Type.String(), birthday: NullableText, ownerId: NullableText,
  purchasedVolume: Type.Integer(), createdAt: Iso, updatedAt: Iso,
};
export const Customer = CrmRecord(customerFields, 'A customer.');

export const CustomerView = CrmRecord({
  ...customerFields,
  contacts: Type.Array(Contact),
  counts: Type.Object({
    openLeads: Type.Integer(), openOpportunities: Type.Integer(), quotes: Type.Integer(), orders: Type.Integer(),
    tickets: Type.Integer(), openTickets: Type.Integer(),
  }),
}, 'A customer with its contacts and what is open with it (a small 360° view).');

export const CustomerListQuery = Type.Object({
  grade: Type.Optional(Type.String()), region: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ description: 'Part of the name, any case.' })), ...PageQuery,
}, { additionalProperties: false });
export const CustomerPage = CrmPage(Customer);
