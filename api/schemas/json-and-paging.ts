import { Type } from 'typebox';

export const JsonValue = Type.Unknown({ description: 'Any JSON value.' });
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const Cursor = Type.String({
  description: 'Opaque cursor from `nextCursor` of the previous page.',
  maxLength: 500,
});
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });

export const Page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  });

export const DateTime = Type.String({ format: 'date-time' });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);
