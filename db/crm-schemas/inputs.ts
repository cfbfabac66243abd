import { Type, type Static } from 'typebox';
import {
  Cents, CustomerGrade, CustomerLocale, Email, Id, IsoDate, Phone, Quantity, Text,
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


const Roles = Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9-]*$' }), { minItems: 1, maxItems: 20, uniqueItems: true });
const Labels = Type.Array(Text(100), { maxItems: 50, uniqueItems: true });

/** The routing attributes of an engine user (stored in engine_user.attributes). */
export const UserRoutingFields = {
  region: Type.Optional(Text(100)),
  productLines: Type.Optional(Labels),
  skills: Type.Optional(Labels),
  capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Open leads/tickets the user can carry' })),
  locale: Type.Optional(CustomerLocale),
};

/** A new engine user (person or system) with an API key generated for it. */
export const CreateUserInput = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })),
  name: Text(),
  email: Email,
  roles: Roles,
  managerId: Type.Optional(Id),
  ...UserRoutingFields,
}, { additionalProperties: false });
export type CreateUserInput = Static<typeof CreateUserInput>;

export const UpdateUserInput = Type.Object({
  name: Type.Optional(Text()),
  email: Type.Optional(Email),
  roles: Type.Optional(Roles),
  managerId: Type.Optional(Type.Union([Id, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
  ...UserRoutingFields,
}, { additionalProperties: false, minProperties: 1 });
export type UpdateUserInput = Static<typeof UpdateUserInput>;

export const UpdateCustomerInput = Type.Object({
  name: Type.Optional(Text()),
  grade: Type.Optional(CustomerGrade),
  region: Type.Optional(Text(100)),
  industry: Type.Optional(Text(100)),
  discountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  locale: Type.Optional(CustomerLocale),
  birthday: Type.Optional(IsoDate),
  ownerId: Type.Optional(Id),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateCustomerInput = Static<typeof UpdateCustomerInput>;

export const OpportunityStage = Type.Enum(['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost']);

export const CreateOpportunityInput = Type.Object({
  customerId: Id,
  leadId: Type.Optional(Id),
  name: Type.Optional(Text()),
  stage: Type.Optional(OpportunityStage),
  probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  amountCents: Type.Optional(Cents),
  expectedCloseDate: Type.Optional(IsoDate),
}, { additionalProperties: false });
export type CreateOpportunityInput = Static<typeof CreateOpportunityInput>;

export const UpdateOpportunityStageInput = Type.Object({
  stage: OpportunityStage,
  probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Defaults from the stage' })),
}, { additionalProperties: false });
export type UpdateOpportunityStageInput = Static<typeof UpdateOpportunityStageInput>;

