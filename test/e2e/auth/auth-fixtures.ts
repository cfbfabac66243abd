import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ApiHarness } from '../../support/api-harness';

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  id: string;
  email: string;
}

/** A person of their own (so no other test's sign-ins or revocations touch theirs), with PASSWORD. */
export async function newPerson(api: ApiHarness, roles: string[] = ['sales-rep']): Promise<Person> {
  const id = `u-auth-${randomUUID().slice(0, 8)}`;
  const email = `${id}@auth.test`;
  const created = await api.call('admin', {
    method: 'POST',
    url: '/api/v1/users',
    payload: { id, name: `Test ${id}`, email, roles },
  });
  expect(created.statusCode).toBe(201);
  const password = await api.call('admin', {
    method: 'PUT',
    url: `/api/v1/users/${id}/password`,
    payload: { password: PASSWORD },
  });
  expect(password.statusCode).toBe(204);
  return { id, email };
}

/** Each test signs in from an address of its own, so the per-IP limit of one test does not hit another. */
export function newAddress(): string {
  const bytes = randomUUID().replace(/-/g, '');
  return `10.${parseInt(bytes.slice(0, 2), 16)}.${parseInt(bytes.slice(2, 4), 16)}.${parseInt(bytes.slice(4, 6), 16)}`;
}

export function signIn(api: ApiHarness, email: string, password: string, remoteAddress = newAddress()) {
  return api.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress });
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  cookie: string;
}

export async function signedIn(api: ApiHarness, person: Person): Promise<SignedIn> {
  const response = await signIn(api, person.email, PASSWORD);
  expect(response.statusCode).toBe(200);
  const body = response.json<{ accessToken: string; refreshToken: string }>();
  const cookie = response.cookies.find((c) => c.name === 'crm_refresh');
  return { ...body, cookie: cookie?.value ?? '' };
}

export function withToken(api: ApiHarness, token: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  return api.app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}

export function withKey(api: ApiHarness, secret: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  return api.app.inject({ ...options, headers: { 'x-api-key': secret, ...options.headers } });
}
