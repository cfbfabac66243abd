import { Type } from 'typebox';

/** A locale the product speaks; null: none saved (the browser's language decides). */
export const SavedLocale = Type.Union([Type.Literal('en'), Type.Literal('zh-CN'), Type.Null()]);

export const MeView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  rights: Type.Array(Type.String(), { description: 'Every right of contracts/roles.ts the caller holds.' }),
  locale: SavedLocale,
  managerId: Type.Union([Type.String(), Type.Null()]),
});

export const MeChange = Type.Object({ locale: SavedLocale }, { additionalProperties: false });
