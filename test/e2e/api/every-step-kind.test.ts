import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { waitForMail } from '../../support/mailbox';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { fieldVisitTemplates } from './field-visit-templates';

/** A template using every step kind, published and driven only through the HTTP API. */
describe('every step kind through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  const yaml = { 'content-type': 'application/yaml' };

  it('publishes a parent and a child template and runs an instance to its end', async () => {
    const { parent, child } = fieldVisitTemplates();
    for (const t of [child, parent]) {
      const saved = await api.call('admin', {
        method: 'PUT',
        url: `/api/v1/templates/${t.key}/draft`,
        headers: yaml,
        payload: t.yaml,
      });
      expect(saved.json()).toMatchObject({ valid: true });
      expect((await api.call('admin', { method: 'POST', url: `/api/v1/templates/${t.key}/publish` })).statusCode).toBe(
        201,
      );
    }
    const visitId = `visit-${randomUUID().slice(0, 8)}`;
    const customerEmail = `visit+${randomUUID().slice(0, 8)}@example.test`;
    const started = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: parent.key, input: { visitId, customerEmail, parts: ['filter', 'belt', 'fuse'] } },
    });
    expect(started.statusCode).toBe(201);
    const instanceId = started.json().id as string;

    const task = await eventually(async () => {
      const inbox = await api.call('manager', {
        method: 'GET',
        url: `/api/v1/tasks?status=open&template=${parent.key}`,
      });
      return (inbox.json().items as { id: string; instanceId: string; title: string }[]).find(
        (t) => t.instanceId === instanceId,
      );
    }, 'the approval task');
    expect(task.title).toBe(`Approve visit ${visitId}`);
    const invalid = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'go', form: { technician: 'x' } },
    });
    expect(invalid.statusCode).toBe(422);
    const unknownOutcome = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'maybe', form: { technician: 'Kim' } },
    });
    expect(unknownOutcome.statusCode).toBe(422);
    const done = await api.call('manager', {
      method: 'POST',
      url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
      payload: { outcome: 'go', form: { technician: 'Kim' } },
    });
    expect(done.statusCode).toBe(200);

    await waitForMail((m) => m.to.includes(customerEmail) && m.subject === `Visit ${visitId} confirmed`);
    // An event for another visit is not taken; the matching one is, once, however often it is sent.
    // Events come from systems and admins (instances.signal); the rep who started it may not send them.
    const send = (payload: unknown, eventId: string) =>
      api.call('admin', {
        method: 'POST',
        url: `/api/v1/instances/${instanceId}/events`,
        payload: { event: 'visit.confirmed', payload, eventId },
      });
    expect(
      (
        await api.call('rep', {
          method: 'POST',
          url: `/api/v1/instances/${instanceId}/events`,
          payload: { event: 'visit.confirmed', payload: { visitId, by: 'rep' } },
        })
      ).statusCode,
    ).toBe(403);
    expect((await send({ visitId: 'someone-else', by: 'nobody' }, randomUUID())).statusCode).toBe(202);
    const eventId = randomUUID();
    expect((await send({ visitId, by: 'customer' }, eventId)).statusCode).toBe(202);
    expect((await send({ visitId, by: 'customer' }, eventId)).statusCode).toBe(202);

    const finished = await eventually(
      async () => {
        const body = (await api.call('rep', { method: 'GET', url: `/api/v1/instances/${instanceId}` })).json();
        return body.status === 'running' ? undefined : body;
      },
      { description: 'the instance to finish', timeoutMs: 60_000 },
    );
    expect(finished).toMatchObject({
      status: 'completed',
      businessKey: visitId,
      result: { technician: 'Kim', rounds: 2, parts: 3, confirmedBy: 'customer' },
    });
    expect(typeof finished.result.report).toBe('string');

    const children = (await api.call('rep', { method: 'GET', url: `/api/v1/instances?template=${child.key}` })).json()
      .items as { parentId: string; status: string }[];
    expect(children).toEqual([expect.objectContaining({ parentId: instanceId, status: 'completed' })]);

    const timeline = (await api.call('rep', { method: 'GET', url: `/api/v1/instances/${instanceId}/timeline` })).json()
      .items as { type: string; stepId: string | null }[];
    const completedSteps = new Set(timeline.filter((e) => e.type === 'step.completed').map((e) => e.stepId));
    for (const id of [
      'start',
      'book',
      'approve',
      'decide',
      'announce',
      'pickParts',
      'rounds',
      'settle',
      'confirmation',
      'report',
      'optional',
    ]) {
      expect(completedSteps).toContain(id);
    }
    // Both distinct events are recorded; the resent one (same eventId) is not.
    const received = timeline.filter((e) => e.type === 'event.received') as unknown as {
      detail: { eventId: string };
    }[];
    expect(received.map((e) => e.detail.eventId).filter((id) => id === eventId)).toHaveLength(1);
    expect(received).toHaveLength(2);
    expect(timeline.some((e) => e.type === 'step.failed' && e.stepId === 'optional')).toBe(true);
    expect(timeline.at(-1)?.type).toBe('instance.completed');
  }, 120_000);
});
