import { Type, type Static } from 'typebox';

/** `*` or a list of names. */
const NameList = Type.Union([
  Type.Literal('*'),
  Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
]);

/**
 * What an API key may do, on top of (never beyond) the rights of the roles of the user it belongs
 * to: the templates it may start, the events it may send, the record kinds it may read (the
 * `<records>` of `<records>.read` rights: `customers`, `orders`, …). Each defaults to nothing.
 */
export const ApiKeyScopes = Type.Object(
  {
    templates: Type.Optional(NameList),
    events: Type.Optional(NameList),
    read: Type.Optional(NameList),
  },
  { additionalProperties: false },
);
export type ApiKeyScopes = Static<typeof ApiKeyScopes>;

export function scopeAllows(list: ApiKeyScopes[keyof ApiKeyScopes], name: string): boolean {
  return list === '*' || (Array.isArray(list) && list.includes(name));
}
