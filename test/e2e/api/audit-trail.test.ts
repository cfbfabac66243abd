import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { eventually, KEYS, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { approvalTemplate } from './approval-template';

interface AuditRow {
  seq: number | null;
  actor: string;
  onBehalfOf: string | null;
  action: string;
  subject: string;
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  hash: string | null;
}

const IP = '203.0.113.7';

/** Every change made through the API is on record with who, from where and what changed. */
describe('audit trail through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  /** A call from a known address, with a request id and a user agent of its own. */
  async function call(as: keyof typeof KEYS, options: InjectOptions & { url: string }) {
    const requestId = `req-${randomUUID()}`;
    const response = await api.app.inject({
      ...options,
      remoteAddress: IP,
      headers: { 'x-api-key': KEYS[as], 'x-request-id': requestId, 'user-agent': 'audit-test/1.0', ...options.headers },
    });
    return { response, requestId };
  }

  async function entries(query: string): Promise<AuditRow[]> {
    const response = await api.call('admin', { method: 'GET', url: `/api/v1/audit?${query}` });
    expect(response.statusCode).toBe(200);
    return response.json().items as AuditRow[];
  }

  function expectFromRequest(row: AuditRow | undefined, requestId: string, actor: string): void {
    expect(row).toMatchObject({ actor, ip: IP, requestId, userAgent: 'audit-test/1.0' });
  }

  it('records a customer created and changed, with the changed fields before and after', async () => {
    const created = await call('rep', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: `Audit Trading ${randomUUID().slice(0, 6)}`, grade: 'B' },
    });
    expect(created.response.statusCode).toBe(201);
    const id = created.response.json().id as string;
    const patched = await call('rep', { method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { grade: 'A' } });
    expect(patched.response.statusCode).toBe(200);

    const rows = await entries(`subject=${encodeURIComponent(`customers:${id}`)}`);
    const create = rows.find((r) => r.action === 'Customer.create');
    expectFromRequest(create, created.requestId, 'key:K-demo-u-sales-rep');
    expect(create).toMatchObject({ onBehalfOf: 'user:u-sales-rep', before: null, after: { grade: 'B' } });
    const update = rows.find((r) => r.action === 'Customer.update');
    expectFromRequest(update, patched.requestId, 'key:K-demo-u-sales-rep');
    expect(update!.before).toMatchObject({ grade: 'B' });
    expect(update!.after).toMatchObject({ grade: 'A' });
    expect(Object.keys(update!.after!)).not.toContain('name');
  });

  it('records a user created by an admin, and their API key without its hash', async () => {
    const { response, requestId } = await call('admin', {
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'Audit Person', email: `audit.${randomUUID().slice(0, 6)}@crm.example`, roles: ['sales-rep'] },
    });
    expect(response.statusCode).toBe(201);
    const { user, apiKey } = response.json() as { user: { id: string }; apiKey: string };
    const [row] = await entries(`subject=${encodeURIComponent(`engine_user:${user.id}`)}&action=EngineUser.create`);
    expectFromRequest(row, requestId, 'key:K-demo-u-admin');
    expect(row!.after).toMatchObject({ name: 'Audit Person', roles: '{sales-rep}' });
    const keys = await entries(`subject=${encodeURIComponent('api_key:')}&action=ApiKey.create`);
    const key = keys.find((entry) => entry.after?.['userId'] === user.id);
    expectFromRequest(key, requestId, 'key:K-demo-u-admin');
    expect(key!.after).toMatchObject({ secretHash: '[redacted]' });
    expect(JSON.stringify([row, key])).not.toContain(apiKey);
  });

  it('records a template published, a task claimed, and the process changing the task', async () => {
    const { key, yaml } = approvalTemplate();
    const saved = await call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(saved.response.statusCode).toBe(200);
    const published = await call('admin', { method: 'POST', url: `/api/v1/templates/${key}/publish` });
    expect([200, 201]).toContain(published.response.statusCode);
    const [publication] = await entries(`subject=${encodeURIComponent(`template_version:${key}:1`)}`);
    expectFromRequest(publication, published.requestId, 'key:K-demo-u-admin');
    expect(publication).toMatchObject({ action: 'TemplateVersion.create', after: { key, version: 1 } });

    // Only a holder of instances.start-any may start a template no role is listed for.
    const started = await call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: {
        template: key,
        input: { customerEmail: `audit+${randomUUID().slice(0, 6)}@example.test`, amount: 10 },
      },
    });
    expect(started.response.statusCode).toBe(201);
    const instanceId = started.response.json().id as string;
    const [start] = await entries(`subject=${encodeURIComponent(`instance:${instanceId}`)}&action=instance.start`);
    expectFromRequest(start, started.requestId, 'key:K-demo-u-admin');

    // The task the process opened is on record as the process's, on behalf of who started it.
    const opened = await eventually(async () => {
      const rows = await entries(`actor=${encodeURIComponent(`process:${instanceId}`)}&action=TaskRow.create`);
      return rows[0];
    }, 'the task opened by the process');
    expect(opened).toMatchObject({ onBehalfOf: 'user:u-admin', ip: null });
    const taskId = opened.subject.slice('task:'.length);

    const claimed = await call('manager', { method: 'POST', url: `/api/v1/tasks/${encodeURIComponent(taskId)}/claim` });
    expect(claimed.response.statusCode).toBe(200);
    const [claim] = await entries(`subject=${encodeURIComponent(`task:${taskId}`)}&action=task.claim`);
    expectFromRequest(claim, claimed.requestId, 'key:K-demo-u-sales-manager');
    expect(claim!.after).toEqual({ assignee: 'u-sales-manager' });
    const change = await eventually(async () => {
      const rows = await entries(`subject=${encodeURIComponent(`task:${taskId}`)}&action=TaskRow.update`);
      return rows.find((r) => r.after?.assignee === 'u-sales-manager');
    }, 'the task row change by the process');
    expect(change).toMatchObject({ actor: `process:${instanceId}`, before: { assignee: null } });
  });

  it('lets admins and auditors read the trail, and nobody else', async () => {
    expect((await api.call('rep', { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
    expect((await api.call('finance', { method: 'GET', url: '/api/v1/audit/verify' })).statusCode).toBe(403);
    const page = await api.call('admin', { method: 'GET', url: '/api/v1/audit?limit=2' });
    expect(page.json()).toMatchObject({
      items: [expect.anything(), expect.anything()],
      nextCursor: expect.any(String),
    });
    const next = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/audit?limit=2&cursor=${encodeURIComponent(page.json().nextCursor as string)}`,
    });
    expect(next.statusCode).toBe(200);
    const firstIds = (page.json().items as { id: string }[]).map((r) => r.id);
    expect((next.json().items as { id: string }[]).some((r) => firstIds.includes(r.id))).toBe(false);
  });

  it('verifies the chain of the whole trail', async () => {
    const response = await api.call('admin', { method: 'GET', url: '/api/v1/audit/verify' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
