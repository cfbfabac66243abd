import { Type } from 'typebox';
import { NO_NUL_PATTERN } from '../input-limits/limit-schema';
import { DateTime } from './json-and-paging';

export const SavedViewJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  query: Type.String({ description: "The inbox URL's search string, e.g. `view=queue&sort=due`." }),
  shared: Type.Boolean(),
  ownerId: Type.String(),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
});

export const SavedViewList = Type.Object({ items: Type.Array(SavedViewJson) });

export const NewSavedViewBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80, pattern: NO_NUL_PATTERN }),
    query: Type.String({
      maxLength: 1000,
      pattern: NO_NUL_PATTERN,
      description: 'Only the inbox parameters: view, sort, order, template, priority, q.',
    }),
    shared: Type.Optional(Type.Boolean({ default: false, description: 'Everyone who works an inbox may open it.' })),
  },
  { additionalProperties: false },
);

export const SavedViewIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
