import { ServiceError, isGrpcServiceError } from '@temporalio/client';
import { ConnectionException, DriverException } from '@mikro-orm/postgresql';

/** Which server a request could not reach; `dependency` when the error does not say which. */
export type UnreachableDependency = 'database' | 'temporal' | 'dependency';

/** How long a client should wait before retrying a request refused for an outage, in seconds. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Socket failures: the server is down, restarting, or the network between is.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs of a server that is shutting down, starting or full (class 08: connection exception).
const POSTGRES_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;

// pg and pg-pool report a lost or never-made connection by message only, without a code.
const POSTGRES_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

// gRPC status codes (grpc-js `status`): UNAVAILABLE and DEADLINE_EXCEEDED; any other code is an answer.
const TEMPORAL_UNAVAILABLE = new Set<number>([14, 4]);

/**
 * Names the server an error says could not be reached (PostgreSQL or Temporal), or null for any
 * other error. Looks through `cause` chains and AggregateErrors: MikroORM wraps the pg error,
 * Temporal's ServiceError wraps the gRPC one, and Node reports a refused dual-stack connect as an
 * AggregateError of one per address. A constraint violation or a bad query is never an outage.
 */
export function unreachableDependencyOf(error: unknown): UnreachableDependency | null {
  let database = false;
  let temporal = false;
  let socket = false;
  let driver = false;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (isGrpcServiceError(current)) {
      if (TEMPORAL_UNAVAILABLE.has(current.code)) temporal = true;
      else return null; // Temporal answered (NOT_FOUND, ALREADY_EXISTS, …): not an outage.
    }
    if (current instanceof ServiceError && /UNAVAILABLE|DEADLINE_EXCEEDED|connect/i.test(current.message)) {
      temporal = true;
    }
    if (current instanceof ConnectionException) database = true;
    if (typeof code === 'string' && POSTGRES_UNAVAILABLE.test(code)) database = true;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) socket = true;
    if (typeof message === 'string' && POSTGRES_CONNECTION_MESSAGES.test(message)) database = true;
    if (current instanceof DriverException) driver = true;
    // An AggregateError's parts; MikroORM's DriverException copies `errors` over from one.
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
    queue.push(cause);
  }
  if (temporal) return 'temporal';
  if (database || (driver && socket)) return 'database';
  return socket ? 'dependency' : null;
}

export function outageDetail(dependency: UnreachableDependency): string {
  const what =
    dependency === 'database'
      ? 'The database'
      : dependency === 'temporal'
        ? 'The process engine (Temporal)'
        : 'A server this request needs';
  // Whether a cut-off create was committed is unknown: a retry with its Idempotency-Key finds out safely.
  return `${what} cannot be reached right now. Retry after ${OUTAGE_RETRY_AFTER_SECONDS} seconds; retry a create with the same Idempotency-Key.`;
}
