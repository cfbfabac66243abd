import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableInt, NullableText, PageQuery } from './common';

export const User = CrmRecord({
  name: Type.String(), email: Type.String(), roles: Type.Array(Type.String()), managerId: NullableText, active: Type.Boolean(),
  region: NullableText, productLines: Type.Array(Type.String()), skills: Type.Array(Type.String()), capacity: NullableInt,
  locale: NullableText, attributes: Type.Record(Type.String(), Type.Unknown()), createdAt: Iso,
}, 'An engine user; routing attributes live in `attributes` and are repeated as fields.');

export const CreatedUser = Type.Object({
  user: User,
  apiKey: Type.String({ description: 'Shown once; only its sha256 is stored.' }),
});

export const UserListQuery = Type.Object({ role: Type.Optional(Type.String()), region: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });
export const UserPage = CrmPage(User);
