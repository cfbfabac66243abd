import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';

/** The order amount comes from a variable an operator may have to fix: the first run cannot use it. */
function pricingTemplate(key: string): string {
  return `key: ${key}
name: E2E step incident
input: { type: object, properties: { ref: { type: string } }, required: [ref] }
businessKey: =input.ref
startableBy: [sales-rep]
vars: { order: {} }
steps:
  - id: price
    set: { total: =vars.order.amount * 2 }
  - id: done
    end: { result: { total: =vars.total } }
`;
}

/** onError reads what failed: the code and the step, as the language reference promises. */
function errorTemplate(key: string): string {
  return `key: ${key}
name: E2E onError error
input: { type: object, properties: { ref: { type: string } }, required: [ref] }
businessKey: =input.ref
startableBy: [sales-rep]
vars: { failedCode: '', failedStep: '', failedMessage: '' }
steps:
  - id: charge
    fail: { code: card.declined, message: The card was declined }
    onError:
      steps:
        - id: note
          set: { failedCode: =error.code, failedStep: =error.stepId, failedMessage: =error.message }
      then: continue
  - id: done
    end: { result: { code: =vars.failedCode, step: =vars.failedStep, message: =vars.failedMessage } }
`;
}

describe('incidents instead of dead instances, through the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  const get = (url: string) => api.call('admin', { method: 'GET', url });
  const start = async (template: string, ref: string): Promise<string> => {
    const started = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template, input: { ref } },
    });
    expect(started.statusCode).toBe(201);
    return started.json().id as string;
  };

  it('a failing expression leaves the instance in incident; the operator fixes a variable and retries; it completes, audited', async () => {
    const key = `e2e-incident-${randomUUID().slice(0, 8)}`;
    await api.publish(key, pricingTemplate(key));
    const ref = `ref-${randomUUID().slice(0, 8)}`;
    const id = await start(key, ref);

    const listed = await eventually(async () => {
      const items = (await get(`/api/v1/instances?status=incident&template=${key}`)).json().items as {
        id: string;
      }[];
      return items.length === 1 ? items[0] : undefined;
    }, 'the instance listed as incident');
    expect(listed).toMatchObject({ id, status: 'incident', endedAt: null, error: { stepId: 'price' } });
    expect((await get(`/api/v1/instances?status=failed&template=${key}`)).json().items).toEqual([]);

    const detail = (await get(`/api/v1/instances/${id}`)).json();
    expect(detail).toMatchObject({
      status: 'incident',
      stepIncidents: [{ stepId: 'price', path: 'steps[0]', code: expect.any(String), message: expect.any(String) }],
      allowed: { cancel: true, retry: true, editVariables: true, fail: true },
    });
    expect((await get(`/api/v1/instances/${id}/state`)).json()).toMatchObject({
      status: 'incident',
      incidents: [{ stepId: 'price', since: expect.any(String) }],
    });

    // Only admins may edit variables; bad bodies are problems, not 500s.
    const asRep = await api.call('rep', {
      method: 'PATCH',
      url: `/api/v1/instances/${id}/variables`,
      payload: { vars: { order: { amount: 1 } } },
    });
    expect(asRep.statusCode).toBe(403);
    const badBody = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/instances/${id}/variables`,
      payload: { vars: 'nope' },
    });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.headers['content-type']).toContain('application/problem+json');

    const patched = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/instances/${id}/variables`,
      payload: { vars: { order: { amount: 21 } } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ instanceId: id, vars: { order: { amount: 21 } } });

    const retried = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${id}/retry` });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toMatchObject({ accepted: true, steps: ['price'] });

    const done = await eventually(async () => {
      const body = (await get(`/api/v1/instances/${id}`)).json();
      return body.status === 'completed' ? body : undefined;
    }, 'the instance completed after the retry');
    expect(done.result).toEqual({ total: 42 });

    const audit = (await get(`/api/v1/audit?subject=${encodeURIComponent(`instance:${id}`)}`)).json().items as {
      action: string;
      actor: string;
      after: Record<string, unknown> | null;
    }[];
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'instance.set-variables', after: { vars: { order: { amount: 21 } } } }),
        expect.objectContaining({ action: 'instance.retry', after: { steps: ['price'] } }),
      ]),
    );

    // Nothing held any more: the operator actions are conflicts.
    const again = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/instances/${id}/variables`,
      payload: { vars: { x: 1 } },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: expect.stringContaining('no-incident') });
  });

  it('an operator may end an instance in incident as failed, or cancel it', async () => {
    const key = `e2e-incident-end-${randomUUID().slice(0, 8)}`;
    await api.publish(key, pricingTemplate(key));
    const toFail = await start(key, `ref-${randomUUID().slice(0, 8)}`);
    const toCancel = await start(key, `ref-${randomUUID().slice(0, 8)}`);
    await eventually(async () => {
      const items = (await get(`/api/v1/instances?status=incident&template=${key}`)).json().items as unknown[];
      return items.length === 2 ? true : undefined;
    }, 'both instances in incident');

    const failed = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${toFail}/fail` });
    expect(failed.statusCode).toBe(202);
    const cancelled = await api.call('admin', { method: 'POST', url: `/api/v1/instances/${toCancel}/cancel` });
    expect(cancelled.statusCode).toBe(202);
    await eventually(async () => {
      const [a, b] = await Promise.all([get(`/api/v1/instances/${toFail}`), get(`/api/v1/instances/${toCancel}`)]);
      return a.json().status === 'failed' && b.json().status === 'cancelled' ? true : undefined;
    }, 'one failed, one cancelled');
    expect((await get(`/api/v1/instances/${toFail}`)).json().error).toMatchObject({ stepId: 'price' });
  });

  it('onError steps read error.code, error.message and error.stepId', async () => {
    const key = `e2e-onerror-${randomUUID().slice(0, 8)}`;
    await api.publish(key, errorTemplate(key));
    const id = await start(key, `ref-${randomUUID().slice(0, 8)}`);
    const done = await eventually(async () => {
      const body = (await get(`/api/v1/instances/${id}`)).json();
      // Completed in the workflow may show a moment before its projection carries the result.
      return body.status === 'completed' && body.result !== undefined ? body : undefined;
    }, 'the instance completed');
    expect(done.result).toEqual({ code: 'card.declined', step: 'charge', message: 'The card was declined' });
  });
});
