import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError, FAILURES, isFailureCode } from '../contracts/failures';
import { ProblemError, problemTypeUri } from './problem-error';
import { NO_NUL_PATTERN } from './input-limits/limit-schema';
import { OUTAGE_RETRY_AFTER_SECONDS, outageDetail, unreachableDependencyOf } from './dependency-outage';

/** A problem before `instance` is known: the part that depends only on the error. */
export interface ProblemDescription {
  status: number;
  type: string;
  title: string;
  detail: string;
  extensions: Record<string, unknown>;
  /** Whether the failure is ours (a bug) rather than the client's or a known outage's. */
  unexpected: boolean;
  /** Response headers the client needs to act on the problem (Retry-After on an outage). */
  headers?: Record<string, string>;
}

const INTERNAL_DETAIL = 'An unexpected error occurred.';

// Slugs fixed by the API contract; the rest follow the status text (409 → `conflict`).
const SLUG_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  404: 'not-found',
  500: 'internal',
  503: 'service-unavailable',
};

export function slugForStatus(status: number): string {
  return SLUG_BY_STATUS[status] ?? (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function titleForStatus(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Turns anything a route, hook or Fastify itself threw into a problem. Only a
 * ProblemError or a 4xx error keeps its message: 5xx messages come from code
 * we did not write for clients (drivers, SQL, stack traces) and stay in the log.
 */
export function describeProblem(error: unknown, reply: FastifyReply): ProblemDescription {
  if (error instanceof ProblemError) {
    const { status, type, title, detail, extensions } = error;
    return { status, type, title, detail, extensions, unexpected: false };
  }
  if (error instanceof DomainError) {
    // Rules the data layer enforces are the client's to fix: the failure table says how (a bad
    // cursor is a malformed request); a code it does not list is a well-formed request the data refuses.
    const answer = isFailureCode(error.code)
      ? FAILURES[error.code]
      : { status: 422, type: error.code.replace(/\./g, '-'), title: titleForStatus(422) };
    return { ...answer, detail: error.message, extensions: { code: error.code }, unexpected: false };
  }
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as Partial<FastifyError> & {
    status?: unknown;
  };
  if (fastifyError.validation) {
    const errors = listValidationErrors(fastifyError);
    return {
      status: 400,
      type: 'validation',
      title: 'Invalid request',
      detail: `The request ${fastifyError.validationContext ?? 'input'} has ${errors.length} validation error(s).`,
      extensions: { errors },
      unexpected: false,
    };
  }
  const dependency = unreachableDependencyOf(error);
  if (dependency) {
    // An outage is not a bug: the client is told to come back, not handed a bare 500.
    return {
      status: 503,
      type: slugForStatus(503),
      title: titleForStatus(503),
      detail: outageDetail(dependency),
      extensions: { dependency },
      headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
      unexpected: false,
    };
  }
  const status = statusOf(fastifyError, reply);
  if (status >= 500) {
    return {
      status,
      type: slugForStatus(status),
      title: titleForStatus(status),
      detail: INTERNAL_DETAIL,
      extensions: {},
      unexpected: true,
    };
  }
  const detail =
    typeof fastifyError.message === 'string' && fastifyError.message !== ''
      ? fastifyError.message
      : titleForStatus(status);
  return {
    status,
    type: slugForStatus(status),
    title: titleForStatus(status),
    detail,
    // Fastify refuses a body it cannot parse (malformed or empty JSON, `__proto__`) before
    // validation; saying so in `errors` keeps every 400 in the documented ValidationProblem shape.
    extensions:
      status === 400 && isBodyParserError(fastifyError) ? { errors: [{ path: '/body', message: detail }] } : {},
    unexpected: false,
  };
}

function isBodyParserError(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && error.code.startsWith('FST_ERR_CTP_');
}

export function problemBody(problem: ProblemDescription, instance: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: problemTypeUri(problem.type),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
  };
  // Core members win: an extension must not be able to relabel the problem.
  for (const [key, value] of Object.entries(problem.extensions)) {
    if (!(key in body)) body[key] = value;
  }
  return body;
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

// Same precedence as Fastify's default handler, so `reply.code(409); throw err` still means 409.
function statusOf(error: { statusCode?: unknown; status?: unknown }, reply: FastifyReply): number {
  if (isErrorStatus(error.statusCode)) return error.statusCode;
  if (isErrorStatus(error.status)) return error.status;
  if (isErrorStatus(reply.statusCode)) return reply.statusCode;
  return 500;
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

// Ajv reports a missing property at its parent; pointing at the property itself tells the client which field to add.
function listValidationErrors(error: Partial<FastifyError>): Array<{ path: string; message: string }> {
  const part = error.validationContext ?? 'input';
  return (error.validation ?? []).map((failure) => {
    // Point at the field itself: the one missing, or the one not allowed (`?quoteId=` on a list
    // that has no such filter is refused, not silently ignored).
    const missing = failure.keyword === 'required' ? failure.params['missingProperty'] : undefined;
    const extra = failure.keyword === 'additionalProperties' ? failure.params['additionalProperty'] : undefined;
    const field = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : undefined;
    const suffix = field !== undefined ? `/${escapePointerToken(field)}` : '';
    const message =
      typeof extra === 'string'
        ? `'${extra}' is not a known field here`
        : failure.keyword === 'pattern' && failure.params['pattern'] === NO_NUL_PATTERN
          ? 'must not contain the NUL character (U+0000)'
          : (failure.message ?? 'is invalid');
    return { path: `/${part}${failure.instancePath}${suffix}`, message };
  });
}
