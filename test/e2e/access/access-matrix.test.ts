import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { RIGHTS, ROLE_NAMES, hasRight, type Right } from '../../../contracts/roles';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';
import { RIGHT_HOLDERS, ROUTE_PERMISSIONS } from './access-matrix.table';

/**
 * Every route of the OpenAPI document × every role, no credential, a forged credential, encoded
 * paths and absolute-form request targets, against the expectations of access-matrix.table.ts.
 * Ids in paths name nothing, so a caller who passes the access check gets a 4xx of the route
 * itself (404, 400, 409); what this test pins is who gets past the check and that nobody gets a 5xx.
 */
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PREFIX = '/api/v1/';

interface DocumentedRoute {
  method: string;
  /** As the OpenAPI document writes it: `/api/v1/customers/{id}`. */
  path: string;
  key: string;
  /** The permission the route declares, as the document's `x-permission` says. */
  permission: unknown;
}

let api: ApiHarness;
let routes: DocumentedRoute[];
const keyOf = new Map<string, string>();

function urlOf(route: DocumentedRoute): string {
  return route.path.replace(/\{version\}/g, '1').replace(/\{(\w+)\}/g, 'matrix-nothing');
}

function requestOf(route: DocumentedRoute, headers: Record<string, string> = {}): InjectOptions {
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  return {
    method: route.method as InjectOptions['method'],
    url: urlOf(route),
    headers,
    // Deliberately invalid for every route: authentication must answer before validation does.
    ...(hasBody ? { payload: { 'matrix-unexpected': '\u0000'.repeat(3) } } : {}),
  };
}

function expectProblem(response: LightMyRequestResponse, status: number, context: string): void {
  expect({ context, status: response.statusCode }).toEqual({ context, status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/** The status line of a raw HTTP/1.1 request written to the listening server. */
function rawStatus(port: number, requestLine: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (status) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`no status line for ${requestLine}: ${head}`)));
  });
}

beforeAll(async () => {
  api = await startApiHarness();
  const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith(PREFIX))
    .flatMap(([path, operations]) =>
      HTTP_METHODS.filter((method) => operations[method] !== undefined).map((method) => ({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        permission: (operations[method] as { 'x-permission'?: unknown })['x-permission'],
      })),
    );
  const run = randomUUID().slice(0, 8);
  for (const role of ROLE_NAMES) {
    const created = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        id: `matrix-${role}-${run}`,
        name: `Matrix ${role}`,
        email: `matrix-${role}-${run}@example.test`,
        roles: [role],
      },
    });
    expect({ role, status: created.statusCode }).toEqual({ role, status: 201 });
    keyOf.set(role, created.json().apiKey as string);
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe('access matrix (every route × every kind of caller)', () => {
  it('the OpenAPI document lists exactly the routes of the table, each with the permission the table expects', () => {
    expect(Object.fromEntries(routes.map((route) => [route.key, route.permission]))).toEqual(ROUTE_PERMISSIONS);
  });

  it('contracts/roles.ts grants each right a route declares to exactly the roles of the table', () => {
    const used = new Set(Object.values(ROUTE_PERMISSIONS).filter((p) => p !== 'public' && p !== 'authenticated'));
    expect([...used].sort()).toEqual(Object.keys(RIGHT_HOLDERS).sort());
    for (const right of used) {
      expect({ right, holders: [...RIGHTS[right as Right]].sort() }).toEqual({
        right,
        holders: [...(RIGHT_HOLDERS[right] ?? [])].sort(),
      });
    }
  });

  it('answers 401 without a credential and with a forged one, before validating the request', async () => {
    for (const route of routes) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const anonymous = await api.app.inject(requestOf(route));
      const forged = await api.app.inject(requestOf(route, { 'x-api-key': `crm_${randomUUID()}` }));
      const forgedBearer = await api.app.inject(requestOf(route, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }));
      if (permission === 'public') {
        // No credential needed: the route answers for itself (200, or a 4xx for the invalid body), never 401/403/5xx.
        expect({
          route: route.key,
          refused: [401, 403].includes(anonymous.statusCode) || anonymous.statusCode >= 500,
        }).toEqual({
          route: route.key,
          refused: false,
        });
        continue;
      }
      expectProblem(anonymous, 401, `${route.key} without a credential`);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      expectProblem(forged, 401, `${route.key} with a forged API key`);
      expectProblem(forgedBearer, 401, `${route.key} with a forged bearer token`);
    }
  });

  it('reaches no protected route through percent-encoded paths without a credential', async () => {
    const leaks: string[] = [];
    for (const route of routes.filter((r) => ROUTE_PERMISSIONS[r.key] !== 'public')) {
      const url = urlOf(route);
      const resource = url.slice(PREFIX.length);
      const variants = [
        `/%61pi/v1/${resource}`,
        `/api/%76%31/${resource}`,
        `${PREFIX}%${resource.charCodeAt(0).toString(16)}${resource.slice(1)}`,
        `/API/v1/${resource}`,
        `//api/v1/${resource}`,
        `${PREFIX}./${resource}`,
      ];
      for (const variant of variants) {
        const response = await api.app.inject({ ...requestOf(route), url: variant });
        // Either the router does not know the path (404) or it matched the route and the guard ran (401).
        if (![401, 404].includes(response.statusCode)) leaks.push(`${route.method} ${variant}: ${response.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('reaches no protected route through an absolute-form request target without a credential', async () => {
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const address = api.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on a port');
    for (const route of routes.filter((r) => ROUTE_PERMISSIONS[r.key] !== 'public' && r.method === 'GET')) {
      for (const target of [
        `http://127.0.0.1:${address.port}${urlOf(route)}`,
        `http://evil.example${urlOf(route)}`,
        `http://127.0.0.1:${address.port}/%61pi/v1/${urlOf(route).slice(PREFIX.length)}`,
      ]) {
        const status = await rawStatus(address.port, `GET ${target} HTTP/1.1`);
        expect({ target, ok: [400, 401, 404].includes(status) }).toEqual({ target, ok: true });
      }
    }
  });

  it('gives each role 403 exactly on the routes whose right it lacks, and never a 5xx', async () => {
    const outcomes: string[] = [];
    for (const route of routes) {
      const permission = ROUTE_PERMISSIONS[route.key] ?? 'missing';
      if (permission === 'public') continue;
      await Promise.all(
        ROLE_NAMES.map(async (role) => {
          const response = await api.app.inject(requestOf(route, { 'x-api-key': keyOf.get(role) ?? '' }));
          const allowed = permission === 'authenticated' || hasRight([role], permission as Right);
          const status = response.statusCode;
          const verdict =
            status >= 500
              ? '5xx'
              : status === 401
                ? 'unauthenticated'
                : allowed
                  ? status === 403 && response.json().detail?.startsWith('This needs one of the roles')
                    ? 'refused a holder'
                    : 'ok'
                  : status === 403
                    ? 'ok'
                    : `let through (${status})`;
          if (verdict !== 'ok') outcomes.push(`${role} ${route.key}: ${verdict} ${status}`);
        }),
      );
    }
    expect(outcomes).toEqual([]);
  }, 300_000);
});
