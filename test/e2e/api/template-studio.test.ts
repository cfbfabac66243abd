import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../support/crm-harness';
import {
  ADMIN_KEY,
  createCustomer,
  createProduct,
  createUser,
  createWarehouse,
  json,
  type TestUser,
} from '../crm/processes/crm-fixtures';
import { createSalesTeam, postQuote, waitForInbox, type SalesTeam } from '../crm/processes/sales-process-fixtures';

const KEY = 'quote-approval';
const MANAGER_LEVEL = 'discountPercentAbove: 10, totalAboveCents: 5000000 }';
const RAISED_LEVEL = 'discountPercentAbove: 15, totalAboveCents: 5000000 }';

interface Diagnostic {
  code: string;
  range: [number, number];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes?: { title: string; range: [number, number]; text: string }[];
}

/**
 * The template studio's API through HTTP, on the built-in quote-approval template: what the editor
 * completes from, validation with ranges, plan and fixes, what-if and backtest of the approval
 * policy, the impact of publishing, and rollback. The template goes back to its content at the end.
 */
describe('template studio API', () => {
  let h: CrmHarness;
  let team: SalesTeam;
  let designer: TestUser;
  let source: string;
  let quoteIds: string[];
  let waitingInstance: string;

  beforeAll(async () => {
    h = await startCrmHarness();
    team = await createSalesTeam(h);
    designer = await createUser(h, { roles: ['designer'] });
    const latest = json<{ latestVersion: number }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/templates/${KEY}` }),
      200,
    ).latestVersion;
    source = json<{ source: string }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/templates/${KEY}/versions/${latest}` }),
      200,
    ).source;
    expect(source).toContain(MANAGER_LEVEL);

    // Two priced quotes: 12 % (the manager approves; under the raised policy, nobody) and 5 % (nobody either way).
    const warehouse = await createWarehouse(h);
    const product = await createProduct(h, {
      listPriceCents: 10_000,
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    const lines = [{ productId: product.id, quantity: 2 }];
    const twelve = await createCustomer(h, { discountRate: 0.12, ownerId: team.rep.id });
    const five = await createCustomer(h, { discountRate: 0.05, ownerId: team.rep.id });
    const waiting = await postQuote(h, team.rep.apiKey, { customerId: twelve.id, lines });
    await waitForInbox(h, team.manager, waiting.instanceId);
    waitingInstance = waiting.instanceId;
    const through = await postQuote(h, team.rep.apiKey, { customerId: five.id, lines });
    quoteIds = [waiting.quote.id, through.quote.id];
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (apiKey: string, path: string, payload: unknown) =>
    h.call(apiKey, { method: 'POST', url: `/api/v1/templates/${KEY}/${path}`, payload: payload as object });

  it('lists what the editor completes: activities (rules marked), roles, trigger events, templates', async () => {
    const language = json<{
      activities: { name: string; params: object; result: object; rule?: object }[];
      roles: { name: string; description: string }[];
      triggerEvents: { event: string }[];
      templates: { key: string; name: string }[];
    }>(await h.call(designer.apiKey, { method: 'GET', url: '/api/v1/template-language' }), 200);
    const levels = language.activities.find((a) => a.name === 'crm.approvalLevels');
    expect(levels).toMatchObject({ rule: { policyParam: 'policy', records: 'quotes' }, params: { type: 'object' } });
    expect(language.activities.find((a) => a.name === 'mail.send')?.rule).toBeUndefined();
    expect(language.roles).toContainEqual(expect.objectContaining({ name: 'sales-manager' }));
    expect(language.triggerEvents.map((e) => e.event)).toContain('quote.submitted');
    expect(language.templates).toContainEqual({ key: KEY, name: expect.any(String) });
    expect((await h.call(team.rep.apiKey, { method: 'GET', url: '/api/v1/template-language' })).statusCode).toBe(403);
  });

  it('validates into the compiled plan, and answers a misspelt activity with its range and a one-click fix', async () => {
    const valid = json<{ valid: boolean; plan: { key: string; steps: unknown[] } }>(
      await h.call(designer.apiKey, {
        method: 'POST',
        url: `/api/v1/templates/${KEY}/validate`,
        headers: { 'content-type': 'application/yaml' },
        payload: source,
      }),
      200,
    );
    expect(valid).toMatchObject({ valid: true, plan: { key: KEY } });
    expect(valid.plan.steps.length).toBeGreaterThan(0);

    const broken = source.replace('call: crm.approvalLevels', 'call: crm.approvalLevel');
    const response = await h.call(designer.apiKey, {
      method: 'POST',
      url: `/api/v1/templates/${KEY}/validate`,
      headers: { 'content-type': 'application/yaml' },
      payload: broken,
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const diagnostic = (response.json().diagnostics as Diagnostic[]).find((d) => d.code === 'call.unknown-activity')!;
    const start = broken.indexOf('crm.approvalLevel\n');
    expect(diagnostic.range).toEqual([start, start + 'crm.approvalLevel'.length]);
    expect(diagnostic.endLine).toBe(diagnostic.line);
    expect(diagnostic.endColumn - diagnostic.column).toBe('crm.approvalLevel'.length);
    expect(diagnostic.fixes).toEqual([
      { title: "Replace with 'crm.approvalLevels'", range: diagnostic.range, text: 'crm.approvalLevels' },
    ]);
  });

  it('what-if: runs the draft policy and the published one on a request', async () => {
    const raised = source.replace(MANAGER_LEVEL, RAISED_LEVEL);
    const request = { discountPercent: 12, totalCents: 1_000_000 };
    const answer = json<{
      activity: string;
      policy: { levels: unknown[] };
      result: { required: boolean; levels: { name: string }[] };
      published: { version: number; result: { required: boolean; levels: { name: string }[] } } | null;
    }>(await post(designer.apiKey, 'what-if', { source: raised, stepId: 'levels', request }), 200);
    expect(answer.activity).toBe('crm.approvalLevels');
    expect(answer.policy.levels).toHaveLength(2);
    expect(answer.result).toEqual({ required: false, levels: [] });
    expect(answer.published?.result.levels.map((l) => l.name)).toEqual(['sales manager']);

    const bad = await post(designer.apiKey, 'what-if', {
      source: raised,
      stepId: 'levels',
      request: { discountPercent: 'lots' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ detail: expect.stringContaining('discountPercent') });
    const notRule = await post(designer.apiKey, 'what-if', { source: raised, stepId: 'price', request: {} });
    expect(notRule.statusCode).toBe(422);
    expect(notRule.json().detail).toContain('not a policy rule');
  });

  it('backtest: judges the stored quotes again under the draft policy, scoped to who may read quotes', async () => {
    const raised = source.replace(MANAGER_LEVEL, RAISED_LEVEL);
    const result = json<{
      records: string;
      withheld: boolean;
      total: number;
      changed: number;
      items: { recordId: string; request: { discountPercent: number }; changed: boolean; draft: unknown }[];
    }>(await post(ADMIN_KEY, 'backtest', { source: raised, stepId: 'levels', limit: 50 }), 200);
    expect(result.records).toBe('quotes');
    const ours = result.items.filter((item) => quoteIds.includes(item.recordId));
    expect(ours.map((item) => [item.recordId, item.request.discountPercent, item.changed])).toEqual([
      [quoteIds[1], 5, false],
      [quoteIds[0], 12, true],
    ]);
    expect(result.changed).toBe(result.items.filter((item) => item.changed).length);

    expect(result.withheld).toBe(false);

    // A designer reads no quotes, yet changes the policy: the same judgements, nothing of whose.
    const blind = json<{
      withheld: boolean;
      total: number;
      changed: number;
      items: { recordId: string; label: string; request: unknown; changed: boolean; draft: unknown }[];
    }>(await post(designer.apiKey, 'backtest', { source: raised, stepId: 'levels', limit: 50 }), 200);
    expect(blind.withheld).toBe(true);
    expect([blind.total, blind.changed]).toEqual([result.total, result.changed]);
    expect(blind.items.map((item) => [item.recordId, item.label, item.request])).toEqual(
      result.items.map((_item, index) => [`#${index + 1}`, `#${index + 1}`, null]),
    );
    expect(blind.items.map((item) => [item.changed, item.draft])).toEqual(
      result.items.map((item) => [item.changed, item.draft]),
    );
    expect(JSON.stringify(blind)).not.toContain(quoteIds[0]);
    expect((await post(ADMIN_KEY, 'backtest', { source: raised, stepId: 'levels', limit: 0 })).statusCode).toBe(400);
  });

  it('backtest: judges the stored tickets again under a draft ticket priority policy', async () => {
    const vip = await createCustomer(h, { grade: 'VIP' });
    const { ticket } = json<{ ticket: { id: string } }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: '/api/v1/tickets',
        payload: { customerId: vip.id, subject: 'Login error', body: 'The app shows an error', category: 'technical' },
      }),
      201,
    );
    const escalation = json<{ latestVersion: number }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: '/api/v1/templates/ticket-escalation' }),
      200,
    ).latestVersion;
    const published = json<{ source: string }>(
      await h.call(ADMIN_KEY, {
        method: 'GET',
        url: `/api/v1/templates/ticket-escalation/versions/${escalation}`,
      }),
      200,
    ).source;
    const calmer = published.replace(/VIP: (urgent|high|normal)/g, 'VIP: low');
    const result = json<{
      records: string;
      items: { recordId: string; request: object; draft: { priority: string }; changed: boolean }[];
    }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: '/api/v1/templates/ticket-escalation/backtest',
        payload: { source: calmer, stepId: 'prioritise', limit: 10 },
      }),
      200,
    );
    expect(result.records).toBe('tickets');
    const ours = result.items.find((item) => item.recordId === ticket.id);
    expect(ours).toMatchObject({ request: { customerGrade: 'VIP' }, draft: { priority: 'low' }, changed: true });
  });

  it('impact: running instances per version and the steps they wait at', async () => {
    const impact = json<{
      key: string;
      latestVersion: number;
      versions: { version: number; running: number; waiting: { stepId: string; count: number }[] }[];
    }>(await h.call(designer.apiKey, { method: 'GET', url: `/api/v1/templates/${KEY}/impact` }), 200);
    expect(impact.key).toBe(KEY);
    const [row] = await h.sql<{ version: number }>('select version from process_instance where id = ?', [
      waitingInstance,
    ]);
    const version = impact.versions.find((v) => v.version === row!.version);
    expect(version?.running).toBeGreaterThanOrEqual(1);
    expect(version?.waiting).toContainEqual({ stepId: 'sequentialApproval', count: expect.any(Number) });
    // The forEach and repeat around the task are not where the instance waits.
    expect(version?.waiting.map((w) => w.stepId)).not.toContain('approve');
    expect(version?.waiting.map((w) => w.stepId)).not.toContain('rounds');
  });

  it('rolls back: an older version’s content becomes the next version; equal to the newest changes nothing', async () => {
    const before = json<{ items: { version: number; hash: string }[] }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/templates/${KEY}/versions` }),
      200,
    ).items[0]!;
    const saved = await h.call(designer.apiKey, {
      method: 'PUT',
      url: `/api/v1/templates/${KEY}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: source.replace(MANAGER_LEVEL, RAISED_LEVEL),
    });
    expect(saved.json()).toMatchObject({ valid: true });
    const raised = json<{ version: number }>(await post(designer.apiKey, 'publish', undefined), 201);
    expect(raised.version).toBe(before.version + 1);

    expect((await post(team.rep.apiKey, 'rollback', { to: before.version })).statusCode).toBe(403);
    expect((await post(designer.apiKey, 'rollback', { to: 999 })).statusCode).toBe(404);
    const back = json<{ version: number; hash: string; created: boolean; publishedBy: string }>(
      await post(designer.apiKey, 'rollback', { to: before.version }),
      201,
    );
    expect(back).toMatchObject({
      version: raised.version + 1,
      hash: before.hash,
      created: true,
      publishedBy: designer.id,
    });
    const again = json<{ version: number; created: boolean }>(
      await post(designer.apiKey, 'rollback', { to: before.version }),
      200,
    );
    expect(again).toMatchObject({ version: back.version, created: false });
    const audited = await h.sql<{ action: string }>(
      `select action from audit_log where subject = ? and action = 'TemplateVersion.rollback'`,
      [`template_version:${KEY}:${back.version}`],
    );
    expect(audited.length).toBe(2);

    // Publishing the raised draft again (the content of an older version) makes it the newest once more.
    const republished = json<{ version: number; created: boolean }>(
      await post(designer.apiKey, 'publish', undefined),
      201,
    );
    expect(republished).toMatchObject({ version: back.version + 1, created: true });
    json(await post(designer.apiKey, 'rollback', { to: before.version }), 201);
  });
});
