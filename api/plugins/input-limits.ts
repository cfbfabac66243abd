import fp from 'fastify-plugin';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { limitRequestSchema, type SchemaLimits } from '../input-limits/limit-schema';

/** How much a request may carry; the runtime reads them from the configuration. */
export interface InputLimits {
  /** Serialised size of each free-form JSON value (instance input, event payload, task form). */
  jsonMaxBytes: number;
  /** Nesting depth of each free-form JSON value. */
  jsonMaxDepth: number;
  /** Size of a JSON request body. A raw text body (template YAML) may be as long as its schema's maxLength. */
  bodyMaxBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { jsonMaxBytes: 16_384, jsonMaxDepth: 32, bodyMaxBytes: 262_144 };

const STRING_MAX_LENGTH = 2000;
const ARRAY_MAX_ITEMS = 1000;
const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

function textBodyMaxLength(body: unknown): number | undefined {
  const schema = body as { type?: unknown; maxLength?: unknown } | undefined;
  return schema?.type === 'string' && typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
}

/**
 * Gives every route's request schema the limits it does not state itself, in one `onRoute` hook
 * rather than in each of the sixty schemas, so a route added later is covered without anyone
 * remembering to. It runs before Fastify compiles the schema and before @fastify/swagger reads it,
 * so what is validated is what the OpenAPI document shows. Registered at the root (fastify-plugin)
 * before the routes.
 */
async function inputLimits(app: FastifyInstance, options: Partial<InputLimits>) {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...options };
  const schemaLimits: SchemaLimits = {
    json: { maxBytes: limits.jsonMaxBytes, maxDepth: limits.jsonMaxDepth },
    stringMaxLength: STRING_MAX_LENGTH,
    arrayMaxItems: ARRAY_MAX_ITEMS,
  };
  app.addHook('onRoute', (route) => {
    if (route.schema) {
      const schema: FastifySchema = { ...route.schema };
      for (const part of REQUEST_PARTS) {
        if (schema[part] !== undefined) schema[part] = limitRequestSchema(schema[part], schemaLimits);
      }
      route.schema = schema;
    }
    // Bytes ≥ characters, so a text body within its maxLength fits; a longer one is a 413 before it is read whole.
    route.bodyLimit ??= textBodyMaxLength(route.schema?.body) ?? limits.bodyMaxBytes;
  });
}

export default fp(inputLimits, { name: 'input-limits', fastify: '5.x' });
