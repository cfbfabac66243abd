import { Type, type Static } from 'typebox';
import { CustomerLocale, Email, Id, Text } from '../crm/fields/field-schemas';

/*
 * An engine user, written once: the record as the API returns it and the inputs that create and
 * change it. Routing attributes (region, productLines, …) are stored in `attributes` and repeated
 * as fields of the record.
 */

const NullableText = Type.Union([Type.String(), Type.Null()]);

export const User = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    roles: Type.Array(Type.String()),
    managerId: NullableText,
    active: Type.Boolean(),
    region: NullableText,
    productLines: Type.Array(Type.String()),
    skills: Type.Array(Type.String()),
    capacity: Type.Union([Type.Integer(), Type.Null()]),
    locale: NullableText,
    attributes: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Every stored attribute, the routing ones included; omitted for roles without users.manage',
      }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
  },
  {
    additionalProperties: true,
    description: 'An engine user; routing attributes live in `attributes` and are repeated as fields.',
  },
);
export type User = Static<typeof User>;

export const CreatedUser = Type.Object({
  user: User,
  apiKey: Type.String({
    description:
      'Shown once; stored as an api_key row (keyed hash) with every scope. POST /api-keys issues scoped keys.',
  }),
});

export const UserListFilters = { role: Type.Optional(Type.String()), region: Type.Optional(Type.String()) };

const Roles = Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9-]*$' }), {
  minItems: 1,
  maxItems: 20,
  uniqueItems: true,
});
const Labels = Type.Array(Text(100), { maxItems: 50, uniqueItems: true });

/** The routing attributes of an engine user (stored in engine_user.attributes). */
export const UserRoutingFields = {
  region: Type.Optional(Text(100)),
  productLines: Type.Optional(Labels),
  skills: Type.Optional(Labels),
  capacity: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 10000, description: 'Open leads/tickets the user can carry' }),
  ),
  locale: Type.Optional(CustomerLocale),
};
export const ROUTING_KEYS = ['region', 'productLines', 'skills', 'capacity', 'locale'] as const;

/** A new engine user (person or system) with an API key generated for it. */
export const CreateUserInput = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })),
    name: Text(),
    email: Email,
    roles: Roles,
    managerId: Type.Optional(Id),
    ...UserRoutingFields,
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserInput>;

export const UpdateUserInput = Type.Object(
  {
    name: Type.Optional(Text()),
    email: Type.Optional(Email),
    roles: Type.Optional(Roles),
    managerId: Type.Optional(Type.Union([Id, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    ...UserRoutingFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserInput = Static<typeof UpdateUserInput>;
