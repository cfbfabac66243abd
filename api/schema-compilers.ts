import { createRequire } from 'node:module';
import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** What Fastify passes a compiler: one schema of one route (`httpPart` for validation, `httpStatus` for responses). */
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
  httpStatus?: string;
  contentType?: string;
}

/** What an Ajv validate function carries besides being callable (Fastify reads `errors` and `schemaEnv`). */
interface AjvValidateFunction {
  (data: unknown, dataCxt?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
  schema?: unknown;
}
type ValidatorCompiler = (route: RouteSchema) => AjvValidateFunction;
type SerializerCompiler = (route: RouteSchema) => (data: unknown) => string;
type BuildValidator = (externalSchemas: unknown, ajvOptions: unknown) => ValidatorCompiler;
type BuildSerializer = (externalSchemas: unknown, serializerOptions: unknown) => SerializerCompiler;

// Fastify's own default compilers (what it builds when no `compilersFactory` is given), loaded from
// beside Fastify so they are the very copies and versions it would use itself.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const AjvCompiler = fromFastify('@fastify/ajv-compiler') as () => BuildValidator;
const SerializerSelector = fromFastify('@fastify/fast-json-stringify-compiler') as () => BuildSerializer;

/** The compilations an app deferred, to force them all at once (tests: every schema still compiles). */
const deferredByApp = new WeakMap<FastifyInstance, Array<() => void>>();

export interface LazySchemaCompilers {
  /** For Fastify's `schemaController.compilersFactory`. */
  compilersFactory: CompilersFactory;
  /** Ties the deferred compilations to `app`, for compileEverySchema. */
  attach(app: FastifyInstance): void;
}

/**
 * Fastify's default compilers (Ajv for the request parts, fast-json-stringify for the responses),
 * with each route's compilation deferred to the first request that needs it. Fastify compiles every
 * route's validators and serialisers at `ready()`: ~720 compilations (HEAD routes included, the
 * Ajv ones cached by schema), most of building the app, when a test file calls a handful of routes. The
 * functions compiled are the same, from the same schemas with the same options; only when changes.
 * (Fastify itself has this as a proposal: the `lazySchemaCompilation` option, fastify/fastify#6977.)
 *
 * A schema that fails to compile fails its route's first request instead of `ready()`:
 * compileEverySchema forces them all, and a test runs it over the whole API.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const deferred: Array<() => void> = [];
  // One of each per app, as Fastify makes them (the Ajv pool is keyed by options alone).
  const defaultValidatorBuilder = AjvCompiler();
  const defaultSerializerBuilder = SerializerSelector();

  const buildValidator: BuildValidator = (externalSchemas, ajvOptions) => {
    let compiler: ValidatorCompiler | undefined;
    return (route: RouteSchema) => {
      if (route.httpPart === 'headers') assertLowerCaseHeaders(route);
      let compiled: AjvValidateFunction | undefined;
      const compile = (): AjvValidateFunction => {
        if (compiled) return compiled;
        compiler ??= defaultValidatorBuilder(externalSchemas, ajvOptions);
        try {
          compiled = compiler(route) as AjvValidateFunction;
        } catch (error) {
          throw new errorCodes.FST_ERR_SCH_VALIDATION_BUILD(route.method, route.url, (error as Error).message);
        }
        return compiled;
      };
      const validate: AjvValidateFunction = (data, dataCxt) => {
        const fn = compile();
        const result = fn(data, dataCxt);
        // Fastify reads the errors off the function it called, right after the call (Ajv sets them on every call).
        validate.errors = fn.errors;
        return result;
      };
      // Fastify passes an Ajv function the request as the parent of the data (so coercion can replace a
      // whole part): it asks for `schemaEnv` only when it validates, so the compilation stays deferred.
      Object.defineProperty(validate, 'schemaEnv', { get: () => compile().schemaEnv });
      Object.defineProperty(validate, 'schema', { get: () => compile().schema });
      deferred.push(compile);
      return validate;
    };
  };

  const buildSerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
    let compiler: SerializerCompiler | undefined;
    return (route: RouteSchema) => {
      let compiled: ((data: unknown) => string) | undefined;
      const compile = (): ((data: unknown) => string) => {
        if (compiled) return compiled;
        compiler ??= defaultSerializerBuilder(externalSchemas, serializerOptions);
        try {
          compiled = compiler({ ...route, schema: nullableScalarsAsTypeLists(route.schema) });
        } catch (error) {
          throw new errorCodes.FST_ERR_SCH_SERIALIZATION_BUILD(route.method, route.url, (error as Error).message);
        }
        return compiled;
      };
      deferred.push(compile);
      return (data: unknown) => compile()(data);
    };
  };

  return {
    // Fastify types the builders after Ajv's own signatures; these take and return the same values.
    compilersFactory: { buildValidator, buildSerializer } as unknown as CompilersFactory,
    attach: (app) => deferredByApp.set(app, deferred),
  };
}

/**
 * Compiles every validator and serialiser `app` deferred (after `ready()`), throwing Fastify's
 * FST_ERR_SCH_VALIDATION_BUILD / FST_ERR_SCH_SERIALIZATION_BUILD for the first that fails, as
 * `ready()` did when it compiled them all. Returns how many there were.
 */
export function compileEverySchema(app: FastifyInstance): number {
  const deferred = deferredByApp.get(app) ?? [];
  for (const compile of deferred) compile();
  return deferred.length;
}

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);
const ANNOTATIONS = new Set(['type', 'description', 'title']);
const COMBINATORS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref'];

function isSchemaObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A response schema as fast-json-stringify serialises it fastest, meaning the same: every
 * `anyOf: [<scalar>, {type: 'null'}]` (TypeBox's `Type.Union([X, Type.Null()])`, the API's
 * nullable strings, numbers and timestamps) becomes `{...<scalar>, type: [<scalar's type>, 'null']}`.
 * For an anyOf, fast-json-stringify runs Ajv on every value to choose the option (a date-time's
 * format check included): ~5.7× the time of a type switch, and a tenth of a list page's CPU.
 * Values serialise to the same bytes; a string that is not of its format (which an anyOf refuses
 * with a 500) is written as it is. Request validation and the OpenAPI document keep the schemas
 * as written.
 */
export function nullableScalarsAsTypeLists(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableScalarsAsTypeLists);
  if (!isSchemaObject(schema)) return schema;
  const rewritten: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) rewritten[keyword] = nullableScalarsAsTypeLists(value);
  const options = rewritten['anyOf'];
  if (!Array.isArray(options) || options.length !== 2) return rewritten;
  const nullIndex = options.findIndex(
    (option) =>
      isSchemaObject(option) && option['type'] === 'null' && Object.keys(option).every((k) => ANNOTATIONS.has(k)),
  );
  const scalar: unknown = options[1 - nullIndex];
  if (
    nullIndex < 0 ||
    !isSchemaObject(scalar) ||
    typeof scalar['type'] !== 'string' ||
    !SCALAR_TYPES.has(scalar['type']) ||
    COMBINATORS.some((keyword) => keyword in scalar)
  ) {
    return rewritten;
  }
  const { anyOf: _options, ...siblings } = rewritten;
  return { ...siblings, ...scalar, type: [scalar['type'], 'null'] };
}

/**
 * With a compilers factory of its own, Fastify hands a headers schema over as it is instead of
 * lowercasing its names first (Node lowercases the request's header names): a mixed-case name would
 * never match. The API's header schemas name them in lower case; this keeps it so.
 */
function assertLowerCaseHeaders(route: RouteSchema): void {
  const schema = route.schema as { properties?: Record<string, unknown>; required?: unknown } | boolean;
  if (typeof schema !== 'object' || schema === null) return;
  const names = [...Object.keys(schema.properties ?? {}), ...(Array.isArray(schema.required) ? schema.required : [])];
  const mixed = names.filter((name) => typeof name === 'string' && name !== name.toLowerCase());
  const nested = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependencies', '$ref', 'propertyNames'];
  const structured = nested.filter((keyword) => keyword in schema);
  if (mixed.length > 0 || structured.length > 0) {
    throw new errorCodes.FST_ERR_SCH_VALIDATION_BUILD(
      route.method,
      route.url,
      `header schemas must name headers in lower case in a flat object (${[...mixed, ...structured].join(', ')})`,
    );
  }
}
