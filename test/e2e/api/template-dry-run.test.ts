import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DryRunResult, DryRunScenario } from '../../../contracts/dry-run';
import { startApiHarness, type ApiHarness } from '../../support/api-harness';

const QUOTE_APPROVAL = readFileSync(path.join(process.cwd(), 'templates', 'quote-approval.yaml'), 'utf8');

/** A quote at 15 % and 60 000: the sales manager's level only. */
const PRICED = {
  quoteId: 'Q-1',
  version: 1,
  customer: { id: 'C-1', name: 'Acme' },
  owner: { id: 'rep', name: 'Rita Rep', email: 'rita@example.com', locale: 'en' },
  totalCents: 6_000_000,
  negotiatedDiscountPercent: 15,
  discountPercent: 15,
};

const rejectedByManager: DryRunScenario = {
  name: 'the sales manager rejects',
  input: { quoteId: 'Q-1', version: 1 },
  activities: {
    price: [{ result: PRICED }],
    levels: [
      {
        result: {
          levels: [
            {
              name: 'sales manager',
              title: { en: 'sales manager', 'zh-CN': '销售经理' },
              approvers: ['sales-manager'],
              mode: 'sequential',
            },
          ],
        },
      },
    ],
  },
  tasks: { sequentialApproval: [{ outcome: 'reject', form: { reason: 'margin too thin' }, completedBy: 'manager' }] },
  expect: {
    status: 'completed',
    reached: ['markRejected', 'tellOwnerRejected'],
    notReached: ['markApproved', 'order'],
    vars: { decision: 'rejected', reason: 'margin too thin', decidedBy: 'manager' },
  },
};

const LOOP_FOREVER = `key: loop-forever
name: Loop forever
input: { type: object }
steps:
  - id: spin
    repeat:
      until: =false
      maxIterations: 100000000
      steps:
        - id: tick
          wait: PT1M
`;

/** Dry runs and saved scenarios through HTTP (contract B). */
describe('template dry run API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  const dryRun = (source: string, scenario: DryRunScenario, key = 'quote-approval', as: 'admin' | 'rep' = 'admin') =>
    api.call(as, { method: 'POST', url: `/api/v1/templates/${key}/dry-run`, payload: { source, scenario } });

  it('dry-runs quote-approval when the approver rejects: the path, the activities with their params, the status', async () => {
    const response = await dryRun(QUOTE_APPROVAL, rejectedByManager);
    expect(response.statusCode).toBe(200);
    const result = response.json<DryRunResult>();
    expect(result.status).toBe('completed');
    expect(result.expectations.length).toBeGreaterThan(0);
    expect(result.expectations.filter((check) => !check.ok)).toEqual([]);
    expect(result.activities.map((call) => [call.stepId, call.activity])).toEqual([
      ['price', 'crm.priceQuoteVersion'],
      ['levels', 'crm.approvalLevels'],
      ['markRejected', 'crm.setQuoteStatus'],
      ['tellOwnerRejected', 'mail.sendTemplate'],
    ]);
    expect(result.activities[1]).toMatchObject({
      params: { discountPercent: 15, totalCents: 6_000_000 },
      generated: false,
    });
    expect(result.activities[2]!.params).toEqual({
      quoteId: 'Q-1',
      status: 'rejected',
      actorId: 'manager',
      reason: 'margin too thin',
    });
    expect(result.activities[3]!.params).toMatchObject({ to: 'rita@example.com', data: { approved: false } });
    expect(result.tasks).toEqual([
      expect.objectContaining({ stepId: 'sequentialApproval', outcome: 'reject', form: { reason: 'margin too thin' } }),
    ]);
    const taken = result.steps.filter((step) => step.status !== 'skipped').map((step) => step.stepId);
    expect(taken).toEqual(expect.arrayContaining(['rounds', 'price', 'levels', 'sequentialApproval', 'markRejected']));
    expect(taken).not.toContain('order');
    const step = result.steps.find((candidate) => candidate.stepId === 'markRejected')!;
    expect(step.path).toMatch(/^steps\[1\]\.switch\[1\]/);
    expect(result.waitingAt).toEqual([]);
  });

  it('answers 422 template-invalid with the diagnostics when the source does not compile', async () => {
    const broken = QUOTE_APPROVAL.replace('call: crm.priceQuoteVersion', 'call: crm.priceQuoteVersoin');
    const response = await dryRun(broken, rejectedByManager);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ type: expect.stringContaining('template-invalid') });
    expect(response.json().diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'error', line: expect.any(Number) })]),
    );
  });

  it('stops a loop without end with an error in the result, not a hung request', async () => {
    const started = Date.now();
    const response = await dryRun(LOOP_FOREVER, { name: 'spins', input: {} }, 'loop-forever');
    expect(response.statusCode).toBe(200);
    const result = response.json<DryRunResult>();
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('dry-run.budget-exceeded');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('refuses a sales rep (no templates.write)', async () => {
    const response = await dryRun(QUOTE_APPROVAL, rejectedByManager, 'quote-approval', 'rep');
    expect(response.statusCode).toBe(403);
    const list = await api.call('rep', { method: 'GET', url: '/api/v1/templates/quote-approval/scenarios' });
    expect(list.statusCode).toBe(403);
  });

  it('saves, lists, runs and deletes scenarios; a failing expectation is ok: false', async () => {
    const key = 'quote-approval';
    const put = (name: string, scenario: DryRunScenario) =>
      api.call('admin', {
        method: 'PUT',
        url: `/api/v1/templates/${key}/scenarios/${encodeURIComponent(name)}`,
        payload: scenario,
      });
    const saved = await put('rejects', rejectedByManager);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      name: 'rejects',
      updatedBy: expect.any(String),
      updatedAt: expect.any(String),
    });
    const wrong: DryRunScenario = { ...rejectedByManager, expect: { status: 'completed', reached: ['order'] } };
    expect((await put('expects an order', wrong)).statusCode).toBe(200);

    const listed = await api.call('admin', { method: 'GET', url: `/api/v1/templates/${key}/scenarios` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { name: string }) => item.name)).toEqual(['expects an order', 'rejects']);
    expect(listed.json().items[1].scenario).toMatchObject({ name: 'rejects', tasks: rejectedByManager.tasks });

    const run = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/templates/${key}/scenarios/run`,
      payload: { source: QUOTE_APPROVAL },
    });
    expect(run.statusCode).toBe(200);
    const items = run.json().items as { name: string; ok: boolean; result: DryRunResult }[];
    expect(items.map(({ name, ok }) => ({ name, ok }))).toEqual([
      { name: 'expects an order', ok: false },
      { name: 'rejects', ok: true },
    ]);
    expect(items[0]!.result.expectations).toEqual(
      expect.arrayContaining([expect.objectContaining({ what: 'reached order', ok: false })]),
    );

    const bad = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/templates/${key}/scenarios/broken`,
      payload: { name: 'broken', input: {}, tasks: { x: [{ outcome: '' }] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');

    expect(
      (await api.call('admin', { method: 'DELETE', url: `/api/v1/templates/${key}/scenarios/rejects` })).statusCode,
    ).toBe(204);
    expect(
      (await api.call('admin', { method: 'DELETE', url: `/api/v1/templates/${key}/scenarios/rejects` })).statusCode,
    ).toBe(404);
    const after = await api.call('admin', { method: 'GET', url: `/api/v1/templates/${key}/scenarios` });
    expect(after.json().items.map((item: { name: string }) => item.name)).toEqual(['expects an order']);
  });
});
