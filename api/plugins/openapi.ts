import { readFile } from 'node:fs/promises';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { holdersOf, type Permission } from '../../contracts/roles';

// Read rather than imported: a JSON import needs `with { type: 'json' }` under
// Node's native ESM, which the TypeScript and jest (swc) toolchains do not agree on.
async function readPackageVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

type ResponseObject = { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };
type OperationObject = { responses?: Record<string, ResponseObject> };

/**
 * Routes declare error bodies as plain schemas (`404: Problem`), which
 * @fastify/swagger documents as application/json; the error handler sends
 * them as application/problem+json, so the document says that instead.
 */
function labelProblemResponses<Document extends { paths?: unknown }>(document: Document): Document {
  const paths = (document.paths ?? {}) as Record<string, Record<string, OperationObject>>;
  for (const pathItem of Object.values(paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (!/^[45]/.test(status) || json === undefined || response.content === undefined) continue;
        delete response.content['application/json'];
        response.content['application/problem+json'] = json;
      }
    }
  }
  return document;
}

/**
 * Any API route may meet an outage of PostgreSQL or Temporal: the error handler answers it 503 with
 * Retry-After (api/dependency-outage.ts), so every operation documents that answer.
 */
function documentOutageResponse<Document extends { paths?: unknown }>(document: Document): Document {
  const paths = (document.paths ?? {}) as Record<string, Record<string, OperationObject>>;
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const operation of Object.values(pathItem)) {
      operation.responses ??= {};
      operation.responses['503'] ??= {
        description: 'PostgreSQL or Temporal cannot be reached: retry after the seconds in Retry-After.',
        headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before a retry.' } },
        content: {
          'application/problem+json': {
            schema: {
              type: 'object',
              required: ['type', 'title', 'status', 'detail', 'instance', 'dependency'],
              properties: {
                type: { type: 'string' },
                title: { type: 'string' },
                status: { type: 'integer' },
                detail: { type: 'string' },
                instance: { type: 'string' },
                dependency: { type: 'string', enum: ['database', 'temporal', 'dependency'] },
              },
            },
          },
        },
      };
    }
  }
  return document;
}

/**
 * Each operation says what it needs (`x-permission`, and in words in its description: the roles
 * holding the right), and a public one that it needs no credential (`security: []`).
 */
function withPermission<Schema extends { description?: string } | undefined>(
  schema: Schema,
  permission: Permission | undefined,
): Schema {
  if (schema === undefined || permission === undefined) return schema;
  const needs =
    permission === 'public'
      ? 'No credential needed.'
      : permission === 'authenticated'
        ? 'Any signed-in caller; the answer is scoped to them.'
        : `Needs the right \`${permission}\` (roles: ${holdersOf(permission).join(', ')}).`;
  return {
    ...schema,
    'x-permission': permission,
    description: schema.description ? `${schema.description}\n\n${needs}` : needs,
    ...(permission === 'public' ? { security: [] } : {}),
  };
}

/**
 * The OpenAPI document is generated from the routes' own TypeBox schemas, so it
 * cannot drift from what the API validates. Must load before the routes:
 * @fastify/swagger collects them as they are added.
 */
async function openApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CRM process engine API',
        version: await readPackageVersion(),
        description:
          'Start and follow CRM processes, work the task inbox, manage templates. Errors are RFC 9457 problem details.',
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness probes' },
        { name: 'templates', description: 'Process templates: drafts, validation, versions (designer role to write)' },
        { name: 'instances', description: 'Process instances: start, follow, signal, cancel' },
        { name: 'tasks', description: 'The human-task inbox and task actions' },
        { name: 'auth', description: 'Sign-in, sessions, passwords and API keys' },
        { name: 'webhooks', description: 'Outgoing webhooks on instance and task events, signed (Standard Webhooks)' },
        {
          name: 'reports',
          description: 'Reports over the CRM records and processes, JSON or CSV, scoped to the reader',
        },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: "A user's API key (demo keys are printed by `npm start`).",
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token.' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: ({ schema, url, route }) => ({ url, schema: withPermission(schema, route.config?.permission) }),
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? documentOutageResponse(labelProblemResponses(documentObject.openapiObject))
        : documentObject.swaggerObject,
  });
  // Serves the UI at /docs and the document at /docs/json (and /docs/yaml).
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export default fp(openApi, { name: 'openapi', fastify: '5.x' });
