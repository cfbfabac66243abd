import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebhookDispatcher } from '../../../api/services/webhook-dispatcher';
import { InstanceRepository } from '../../../db/repositories';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { approvalTemplate } from '../api/approval-template';

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: { type: string; timestamp: string; data: { instanceId?: string; seq?: number; detail?: unknown } };
}

/** A webhook receiver on 127.0.0.1 that answers `status`, and can be taken down and brought back on its port. */
async function startReceiver() {
  const received: Received[] = [];
  let status = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body,
        payload: JSON.parse(body) as Received['payload'],
      });
      response.statusCode = status;
      response.end();
    });
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer: (code: number) => (status = code),
    down: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    up: () => listen(port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Standard Webhooks verification as a receiver writes it, from the spec rather than the product's code. */
function verifies(secret: string, message: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${message.id}.${message.timestamp}.${message.body}`)
    .digest('base64');
  const fresh = Math.abs(Date.now() / 1000 - Number(message.timestamp)) < 300;
  return fresh && message.signature.split(' ').includes(`v1,${expected}`);
}

describe('outgoing webhooks', () => {
  let api: ApiHarness;
  let dispatcher: WebhookDispatcher;
  const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
  const subscriptions: string[] = [];

  beforeAll(async () => {
    api = await startApiHarness({ webhooks: { allowPrivateTargets: true } });
    dispatcher = new WebhookDispatcher({
      orm: api.engine.orm,
      logger: pino({ level: 'silent' }),
      allowInternalTargets: true,
      disableAfterDays: 3,
      pollMs: 50,
      retryBaseMs: 100,
      retryMaxMs: 400,
    });
    dispatcher.start();
  });
  afterAll(async () => {
    // Subscriptions are global: later test files' instances must not queue deliveries to dead receivers.
    for (const id of subscriptions) await api.call('admin', { method: 'DELETE', url: `/api/v1/webhooks/${id}` });
    await dispatcher.stop();
    await api.close();
    for (const receiver of receivers) await receiver.stop();
  });

  const receiver = async () => {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const created = await api.call('admin', { method: 'POST', url: '/api/v1/webhooks', payload: body });
    expect(created.statusCode).toBe(201);
    const json = created.json() as { id: string; secret: string };
    subscriptions.push(json.id);
    return json;
  };
  const log = async (id: string) => {
    const response = await api.call('admin', { method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` });
    expect(response.statusCode).toBe(200);
    return response.json().items as {
      eventId: string;
      attempt: number;
      statusCode: number | null;
      error: string | null;
      deliveryStatus: string;
    }[];
  };

  it('signs every event, with ids stable across subscriptions and unique per event, scoped by template and type', async () => {
    const { key, yaml } = approvalTemplate();
    await api.publish(key, yaml);
    const other = approvalTemplate();
    await api.publish(other.key, other.yaml);
    const scoped = await receiver();
    const everywhere = await receiver();
    const elsewhere = await receiver();
    const a = await subscribe({
      url: scoped.url,
      templateKeys: [key],
      eventTypes: ['instance.started', 'instance.completed', 'task.opened', 'task.completed'],
    });
    const b = await subscribe({ url: everywhere.url, eventTypes: ['instance.completed'] });
    await subscribe({ url: elsewhere.url, templateKeys: [other.key], eventTypes: ['instance.started'] });
    const listed = await api.call('admin', { method: 'GET', url: `/api/v1/webhooks/${a.id}` });
    expect(listed.json()).toMatchObject({ templateKeys: [key], enabled: true, disabledReason: null });
    expect(listed.json()).not.toHaveProperty('secret');

    const customerEmail = `hook+${randomUUID().slice(0, 8)}@example.test`;
    const started = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { customerEmail, amount: 5 } },
    });
    expect(started.statusCode).toBe(201);
    const instanceId = started.json().id as string;
    const task = await eventually(async () => {
      const inbox = await api.call('manager', { method: 'GET', url: `/api/v1/tasks?status=open&template=${key}` });
      return (inbox.json().items as { id: string; instanceId: string }[]).find((t) => t.instanceId === instanceId);
    }, 'the review task');
    const done = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'rejected' },
    });
    expect(done.statusCode).toBe(200);

    const ofInstance = (list: Received[]) => list.filter((m) => m.payload.data.instanceId === instanceId);
    const events = await eventually(
      () => (ofInstance(scoped.received).length >= 4 ? ofInstance(scoped.received) : undefined),
      { description: 'four events delivered', timeoutMs: 30_000 },
    );
    expect(events.map((m) => m.payload.type).sort()).toEqual(
      ['instance.completed', 'instance.started', 'task.completed', 'task.opened'].sort(),
    );
    for (const message of events) expect(verifies(a.secret, message)).toBe(true);
    expect(verifies(b.secret, events[0]!)).toBe(false);
    expect(new Set(events.map((m) => m.id)).size).toBe(4);
    const taskEvent = events.find((m) => m.payload.type === 'task.completed')!;
    expect(taskEvent.payload.data).toMatchObject({
      templateKey: key,
      detail: { taskId: task.id, outcome: 'rejected' },
    });

    const completed = await eventually(
      () => ofInstance(everywhere.received).find((m) => m.payload.type === 'instance.completed'),
      'the all-templates subscription got the completion',
    );
    expect(completed.id).toBe(events.find((m) => m.payload.type === 'instance.completed')!.id);
    expect(verifies(b.secret, completed)).toBe(true);
    expect(ofInstance(everywhere.received)).toHaveLength(1);
    expect(ofInstance(elsewhere.received)).toEqual([]);
    // Once delivered, nothing is sent again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ofInstance(scoped.received)).toHaveLength(4);
  });

  it('queues an event once however often the projection write that records it is retried', async () => {
    const { key, yaml } = approvalTemplate();
    await api.publish(key, yaml);
    const target = await receiver();
    const subscription = await subscribe({ url: target.url, templateKeys: [key], eventTypes: ['instance.started'] });
    const instanceId = `replayed-${randomUUID()}`;
    const write = () =>
      new InstanceRepository().project(
        api.engine.orm.em.fork(),
        {
          instanceId,
          templateKey: key,
          version: 1,
          businessKey: null,
          parentInstanceId: null,
          status: 'running',
          startedAt: new Date().toISOString(),
          endedAt: null,
          currentSteps: [],
          timeline: [{ seq: 1, at: new Date().toISOString(), type: 'instance.started' }],
        },
        new Date(),
      );
    await write();
    await write();
    await eventually(async () => ((await log(subscription.id)).length > 0 ? true : undefined), 'the delivery');
    await write();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.received.filter((m) => m.payload.data.instanceId === instanceId)).toHaveLength(1);
    expect(await log(subscription.id)).toHaveLength(1);
  });

  it('retries 5xx answers and a receiver that is down, logging each attempt, until it is delivered', async () => {
    const target = await receiver();
    target.answer(503);
    const subscription = await subscribe({ url: target.url, eventTypes: ['instance.failed'] });
    const ping = await api.call('admin', { method: 'POST', url: `/api/v1/webhooks/${subscription.id}/ping` });
    expect(ping.statusCode).toBe(202);
    const eventId = ping.json().eventId as string;
    await eventually(async () => ((await log(subscription.id)).length >= 2 ? true : undefined), {
      description: 'two failed attempts',
      timeoutMs: 10_000,
    });
    await target.down();
    await eventually(
      async () => ((await log(subscription.id)).some((entry) => entry.statusCode === null) ? true : undefined),
      { description: 'an attempt that got no answer', timeoutMs: 10_000 },
    );
    const failing = await api.call('admin', { method: 'GET', url: `/api/v1/webhooks/${subscription.id}` });
    expect(failing.json().failingSince).not.toBeNull();
    target.answer(200);
    await target.up();
    const entries = await eventually(
      async () => {
        const all = await log(subscription.id);
        return all[0]?.statusCode === 200 ? all : undefined;
      },
      { description: 'delivered once the receiver is back', timeoutMs: 15_000 },
    );
    expect(entries.every((entry) => entry.eventId === eventId)).toBe(true);
    expect(entries.map((entry) => entry.attempt)).toEqual(entries.map((_, i) => entries.length - i));
    expect(entries.filter((entry) => entry.statusCode === 503).length).toBeGreaterThanOrEqual(2);
    expect(entries.find((entry) => entry.statusCode === null)?.error).toBeTruthy();
    expect(entries[0]).toMatchObject({ deliveryStatus: 'delivered', error: null });
    expect(new Set(target.received.map((m) => m.id))).toEqual(new Set([eventId]));
    const healthy = await api.call('admin', { method: 'GET', url: `/api/v1/webhooks/${subscription.id}` });
    expect(healthy.json()).toMatchObject({ failingSince: null, enabled: true });
    expect(healthy.json().lastSuccessAt).not.toBeNull();
  });

  it('disables a subscription failing for the configured days; PATCH re-enables it; rotating the secret re-signs', async () => {
    const target = await receiver();
    target.answer(500);
    const subscription = await subscribe({ url: target.url, eventTypes: ['instance.failed'] });
    // Four days of failures, by moving the streak's start back rather than waiting.
    await api.engine.orm.em
      .fork()
      .execute(`update webhook_subscription set failing_since = now() - interval '4 days' where id = ?`, [
        subscription.id,
      ]);
    await api.call('admin', { method: 'POST', url: `/api/v1/webhooks/${subscription.id}/ping` });
    const disabled = await eventually(
      async () => {
        const body = (await api.call('admin', { method: 'GET', url: `/api/v1/webhooks/${subscription.id}` })).json();
        return body.enabled === false ? body : undefined;
      },
      { description: 'the subscription disabled', timeoutMs: 10_000 },
    );
    expect(disabled.disabledReason).toContain('HTTP 500');
    const attemptsWhileDisabled = (await log(subscription.id)).length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await log(subscription.id)).toHaveLength(attemptsWhileDisabled);

    const rotated = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/webhooks/${subscription.id}/rotate-secret`,
    });
    expect(rotated.statusCode).toBe(200);
    const secret = rotated.json().secret as string;
    expect(secret).not.toBe(subscription.secret);
    target.answer(200);
    const enabled = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/webhooks/${subscription.id}`,
      payload: { enabled: true },
    });
    expect(enabled.json()).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const delivered = await eventually(() => target.received.find((m) => verifies(secret, m)), {
      description: 'the pending ping delivered, signed with the new secret',
      timeoutMs: 10_000,
    });
    expect(delivered.payload.type).toBe('webhook.ping');
    expect(verifies(subscription.secret, delivered)).toBe(false);
  });

  it('takes an Idempotency-Key: a retried create answers 200 with the same subscription and secret', async () => {
    const key = randomUUID();
    const body = { url: 'https://example.com/idempotent-hook', eventTypes: ['instance.completed'] };
    const post = (payload: object) =>
      api.call('admin', { method: 'POST', url: '/api/v1/webhooks', payload, headers: { 'idempotency-key': key } });
    const first = await post(body);
    expect(first.statusCode).toBe(201);
    subscriptions.push(first.json().id as string);
    const retried = await post(body);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: first.json().id, secret: first.json().secret });
    const reused = await post({ ...body, eventTypes: ['instance.failed'] });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().type).toBe('https://crm-engine.dev/problems/idempotency-key-reused');
    const listed = (await api.call('admin', { method: 'GET', url: '/api/v1/webhooks' })).json() as {
      items: { url: string }[];
    };
    expect(listed.items.filter((w) => w.url === body.url)).toHaveLength(1);
  });

  it('refuses other roles and bad input with problem+json', async () => {
    for (const as of ['rep', 'manager', 'finance'] as const) {
      expect((await api.call(as, { method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(403);
      const post = await api.call(as, {
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url: 'https://example.com/hook', eventTypes: ['instance.started'] },
      });
      expect(post.statusCode).toBe(403);
    }
    const bad = async (payload: unknown, status: number, type?: string) => {
      const response = await api.call('admin', { method: 'POST', url: '/api/v1/webhooks', payload: payload as object });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (type) expect(response.json().type).toBe(`https://crm-engine.dev/problems/${type}`);
    };
    await bad({ url: 'https://example.com/hook', eventTypes: [] }, 400);
    await bad({ url: 'https://example.com/hook', eventTypes: ['instance.exploded'] }, 400);
    await bad({ url: 'https://example.com/hook' }, 400);
    await bad({ url: 'ftp://example.com/hook', eventTypes: ['instance.started'] }, 422, 'webhook-url-refused');
    await bad({ url: 'not a url', eventTypes: ['instance.started'] }, 422, 'webhook-url-refused');
    await bad({ url: 'https://u:p@example.com/', eventTypes: ['instance.started'] }, 422, 'webhook-url-refused');
    await bad(
      { url: 'https://example.com/hook', templateKeys: [`none-${randomUUID()}`], eventTypes: ['task.opened'] },
      422,
      'unknown-template',
    );
    const missing = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/webhooks/${randomUUID()}`,
      payload: { enabled: true },
    });
    expect(missing.statusCode).toBe(404);
    expect((await api.call('admin', { method: 'GET', url: '/api/v1/webhooks/not-a-uuid' })).statusCode).toBe(404);
    const empty = await api.call('admin', { method: 'PATCH', url: `/api/v1/webhooks/${randomUUID()}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});
