import { afterEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '@temporalio/client';
import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { buildApp } from '../../../api/app';
import { unreachableDependencyOf } from '../../../api/dependency-outage';

/** Errors shaped like the drivers' own: pg's (a code or only a message), Node's socket errors, grpc-js's. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('unreachableDependencyOf', () => {
  it.each([
    ['a refused connection wrapped by MikroORM', new ConnectionException(socketError('ECONNREFUSED'))],
    ['a driver error from a reset socket', new DriverException(socketError('ECONNRESET'))],
    [
      'an admin shutdown (57P01)',
      new DriverException(pgError('terminating connection due to administrator command', '57P01')),
    ],
    ['a server starting up (57P03)', pgError('the database system is starting up', '57P03')],
    ['a lost connection, reported by message only', new DriverException(pgError('Connection terminated unexpectedly'))],
    ['a pool that could not connect in time', pgError('timeout exceeded when trying to connect')],
    ['too many connections (53300)', pgError('sorry, too many clients already', '53300')],
  ])('names the database for %s', (_what, error) => {
    expect(unreachableDependencyOf(error)).toBe('database');
  });

  it('names Temporal for gRPC UNAVAILABLE and DEADLINE_EXCEEDED, also inside a ServiceError', () => {
    const unavailable = grpcError(14, 'UNAVAILABLE: No connection established');
    expect(unreachableDependencyOf(unavailable)).toBe('temporal');
    expect(unreachableDependencyOf(new ServiceError('Failed to start Workflow', { cause: unavailable }))).toBe(
      'temporal',
    );
    expect(unreachableDependencyOf(grpcError(4, 'DEADLINE_EXCEEDED'))).toBe('temporal');
  });

  it('finds a refused connect inside an AggregateError (one per address) and a cause chain', () => {
    const refused = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], 'connect failed');
    expect(unreachableDependencyOf(new Error('query failed', { cause: new DriverException(refused) }))).toBe(
      'database',
    );
    expect(unreachableDependencyOf(refused)).toBe('dependency');
  });

  it('does not take an answer for an outage', () => {
    expect(
      unreachableDependencyOf(new UniqueConstraintViolationException(pgError('duplicate key', '23505'))),
    ).toBeNull();
    expect(unreachableDependencyOf(grpcError(5, 'NOT_FOUND: workflow not found'))).toBeNull();
    expect(unreachableDependencyOf(grpcError(6, 'ALREADY_EXISTS'))).toBeNull();
    expect(unreachableDependencyOf(new Error('boom'))).toBeNull();
    expect(unreachableDependencyOf(null)).toBeNull();
  });
});

describe('an outage through the error handler', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 503 service-unavailable with Retry-After, naming the dependency and no driver text', async () => {
    app = await buildApp({ readiness: { database: async () => {}, temporal: async () => {} } });
    app.get('/db-down', async () => {
      throw new ConnectionException(socketError('ECONNREFUSED'));
    });
    app.get('/temporal-down', async () => {
      throw new ServiceError('Failed to start Workflow', { cause: grpcError(14, 'UNAVAILABLE: secret-host:7233') });
    });
    const db = await app.inject({ url: '/db-down' });
    expect(db.statusCode).toBe(503);
    expect(db.headers['retry-after']).toBe('5');
    expect(db.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(db.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/service-unavailable',
      status: 503,
      dependency: 'database',
    });
    expect(db.body).not.toContain('5432');
    const temporal = await app.inject({ url: '/temporal-down' });
    expect(temporal.statusCode).toBe(503);
    expect(temporal.headers['retry-after']).toBe('5');
    expect(temporal.json()).toMatchObject({ dependency: 'temporal' });
    expect(temporal.body).not.toContain('secret-host');
  });
});
