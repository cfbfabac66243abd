import { Type } from 'typebox';
import type { Static } from 'typebox';

/**
 * RFC 9457 problem details. Open to extension members (`errors`, `checks`, …)
 * because a route's response schema also serialises the error handler's reply:
 * closing it would silently strip those members.
 */
export const Problem = Type.Object(
  {
    type: Type.String({ format: 'uri', description: 'Stable identifier of the problem kind.' }),
    title: Type.String({ description: 'Short summary of the problem kind.' }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: 'What went wrong with this request.' }),
    instance: Type.String({ description: 'Path of the request that failed.' }),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details.' },
);
export type Problem = Static<typeof Problem>;

export const ValidationProblem = Type.Object(
  {
    ...Problem.properties,
    errors: Type.Array(
      Type.Object({
        path: Type.String({ description: 'JSON Pointer into the request, prefixed by the part: `/body/email`.' }),
        message: Type.String(),
      }),
    ),
  },
  { additionalProperties: true, description: 'A 400 listing every validation failure.' },
);
export type ValidationProblem = Static<typeof ValidationProblem>;
