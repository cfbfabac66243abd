import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';

const SUPPORT_LEAD_KEY = 'demo-support-lead-key';
const CR_MANAGER_KEY = 'demo-cr-manager-key';

/** Tickets, survey invitations, users and templates: who reads them, and which fields. */
describe('record access by role', () => {
  let api: ApiHarness;
  let designerKey: string;
  const as = (apiKey: string, options: InjectOptions) =>
    api.app.inject({ ...options, headers: { 'x-api-key': apiKey, ...options.headers } });

  beforeAll(async () => {
    api = await startApiHarness();
    const designer = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'Dee Designer', email: `designer+${randomUUID().slice(0, 8)}@crm.test`, roles: ['designer'] },
    });
    expect(designer.statusCode).toBe(201);
    designerKey = designer.json().apiKey as string;
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows tickets to support only, with the reporting contact', async () => {
    const opened = await as(SUPPORT_LEAD_KEY, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { subject: 'Printer', body: 'Jammed', contactEmail: `t+${randomUUID().slice(0, 8)}@example.test` },
    });
    expect(opened.statusCode).toBe(201);
    const id = opened.json().ticket.id as string;
    expect(Object.keys((await as(SUPPORT_LEAD_KEY, { method: 'GET', url: `/api/v1/tickets/${id}` })).json())).toContain(
      'contactId',
    );
    for (const who of ['rep', 'finance', 'manager'] as const) {
      expect((await api.call(who, { method: 'GET', url: `/api/v1/tickets/${id}` })).statusCode).toBe(403);
      expect((await api.call(who, { method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(403);
    }
  });

  it('shows survey invitations to survey readers (the address only with contacts.read); responses need surveys.respond', async () => {
    const surveyId = (
      await api.call('admin', {
        method: 'POST',
        url: '/api/v1/surveys',
        payload: { name: 'Access', questions: [{ id: 'overall', text: 'How?', kind: 'rating', required: true }] },
      })
    ).json().id as string;
    const id = `SI-${randomUUID().slice(0, 8)}`;
    await api.engine.orm.em
      .fork()
      .execute(`insert into survey_invitations (id, survey_id, email, trigger_ref) values (?, ?, ?, ?)`, [
        id,
        surveyId,
        `${id}@example.test`,
        `ticket:${id}`,
      ]);
    const url = `/api/v1/survey-invitations/${id}`;
    expect((await as(CR_MANAGER_KEY, { method: 'GET', url })).json()).toMatchObject({
      id,
      email: `${id}@example.test`,
    });
    const forDesigner = (await as(designerKey, { method: 'GET', url })).json();
    expect(forDesigner).toMatchObject({ id, survey: { id: surveyId } });
    expect(forDesigner).not.toHaveProperty('email');
    expect(JSON.stringify(forDesigner)).not.toContain(`${id}@example.test`);
    expect((await api.call('rep', { method: 'GET', url })).statusCode).toBe(403);
    const respond = (key: string) =>
      as(key, { method: 'POST', url: `${url}/responses`, payload: { answers: { overall: 5 } } });
    expect((await respond('demo-rep-key')).statusCode).toBe(403);
    expect((await respond(CR_MANAGER_KEY)).statusCode).toBe(403);
    expect(
      await api.engine.orm.em.fork().execute('select 1 from survey_responses where invitation_id = ?', [id]),
    ).toHaveLength(0);
    expect((await respond('demo-admin-key')).statusCode).toBe(201);
  });

  it('shows people to everyone without their attribute bag; only admins change users or grant roles, and only known ones', async () => {
    const rep = (await api.call('manager', { method: 'GET', url: '/api/v1/users/u-sales-rep' })).json();
    expect(rep).toMatchObject({ id: 'u-sales-rep', roles: ['sales-rep'], region: 'EU' });
    expect(rep).not.toHaveProperty('attributes');
    const listed = (await api.call('rep', { method: 'GET', url: '/api/v1/users?role=sales-rep' })).json();
    expect(listed.items.length).toBeGreaterThan(0);
    for (const user of listed.items) expect(user).not.toHaveProperty('attributes');
    expect((await api.call('admin', { method: 'GET', url: '/api/v1/users/u-sales-rep' })).json()).toHaveProperty(
      'attributes',
    );

    const promote = await api.call('manager', {
      method: 'PATCH',
      url: '/api/v1/users/u-sales-rep',
      payload: { roles: ['admin'] },
    });
    expect(promote.statusCode).toBe(403);
    expect(
      (await api.call('rep', { method: 'PATCH', url: '/api/v1/users/u-sales-rep', payload: { roles: ['admin'] } }))
        .statusCode,
    ).toBe(403);
    expect((await api.call('admin', { method: 'GET', url: '/api/v1/users/u-sales-rep' })).json().roles).toEqual([
      'sales-rep',
    ]);
    const unknown = await api.call('admin', {
      method: 'PATCH',
      url: '/api/v1/users/u-sales-rep',
      payload: { roles: ['sales-rep', 'superuser'] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: '/body/roles/1', message: expect.stringContaining('superuser') }]);
    const created = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'Nobody', email: `nobody+${randomUUID().slice(0, 8)}@crm.test`, roles: ['root'] },
    });
    expect(created.statusCode).toBe(400);
  });

  it('shows templates and their drafts to designers, not to reps', async () => {
    const key = `e2e-access-${randomUUID().slice(0, 8)}`;
    const saved = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: `key: ${key}\nname: Secret draft\ninput: { type: object }\nsteps:\n  - id: done\n    end: {}\n`,
    });
    expect(saved.statusCode).toBe(200);
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/templates' })).statusCode).toBe(403);
    const draft = await api.call('rep', { method: 'GET', url: `/api/v1/templates/${key}` });
    expect(draft.statusCode).toBe(403);
    expect(draft.body).not.toContain('Secret draft');
    expect((await as(designerKey, { method: 'GET', url: `/api/v1/templates/${key}` })).json()).toMatchObject({
      draft: { source: expect.stringContaining('Secret draft') },
    });
  });

  it('refuses template reads without a key however the path is spelled (encoded, absolute-form)', async () => {
    for (const url of ['/api/v1/templates', '/%61pi/v1/templates', '/api/v1/%74emplates', '/api/%761/templates']) {
      const response = await api.app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
    }
    // Absolute-form request targets (RFC 9112 3.2.2) need a real socket: inject normalises URLs.
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = api.app.server.address() as AddressInfo;
    for (const target of [`http://127.0.0.1:${port}/api/v1/templates`, `http://evil.test/%61pi/v1/templates`]) {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString('utf8')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect({ target, status: head.split('\r\n')[0] }).toEqual({ target, status: 'HTTP/1.1 401 Unauthorized' });
    }
  });
});
