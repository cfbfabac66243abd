import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, createWarehouse, json } from '../e2e/crm/processes/crm-fixtures';
import { postQuote } from '../e2e/crm/processes/sales-process-fixtures';

const MANAGER = 'sales.manager@crm.example';
const REP = 'sales.rep@crm.example';
const REP_KEY = 'demo-rep-key';
const MANAGER_KEY = 'demo-manager-key';
const ADMIN = 'admin@crm.example';
const ADMIN_KEY = 'demo-admin-key';

/**
 * An operator's journey: a sales manager (an operator of their team's processes: instances.monitor,
 * reaching a team rep's quote) finds a quote's approval instance by its business key and sees its
 * path: pricing and approval levels done, the approval task waiting; values hidden from a reader
 * without instances.see-all. In English at 1440 px and Chinese at phone width; a rep has no such page.
 */
describe('staff app: instances', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => {
    await web?.close();
  });

  /** A quote of the demo rep's (18 % discount, 8 200.00) waiting for the sales manager's approval. */
  async function submitQuote(): Promise<{ quoteId: string; instanceId: string }> {
    const h = web.crm;
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: 'u-sales-rep' });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      tiers: [{ minQuantity: 5, unitPriceCents: 95_000 }],
      stock: [{ warehouseId: warehouse.id, onHand: 1000 }],
    });
    const { quote, instanceId } = await postQuote(h, REP_KEY, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    // The task is open once the instance waits at it (the page then shows that state).
    await eventually(async () => {
      // 404 until the instance is projected: the manager reaches it through the quote's row.
      const response = await h.call(MANAGER_KEY, { method: 'GET', url: `/api/v1/instances/${instanceId}` });
      if (response.statusCode === 404) return undefined;
      const body = json<{ currentSteps: string[] }>(response, 200);
      return body.currentSteps.includes('sequentialApproval') ? true : undefined;
    }, `instance ${instanceId} waiting for approval`);
    return { quoteId: quote.id, instanceId };
  }

  // Ids hold ':' and '.', which the router's links percent-encode.
  const onInstancePage = (instanceId: string) => (url: URL) =>
    decodeURIComponent(url.pathname).endsWith(`/instances/${instanceId}`);
  const pageWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth');
  const stepStates = async (page: Page) =>
    JSON.parse((await page.getByTestId('instance-diagram').getAttribute('data-step-states')) ?? '{}') as Record<
      string,
      string
    >;

  async function findAndOpen(page: Page, quoteId: string, instanceId: string) {
    await page.getByTestId('nav-instances').click();
    await page.getByTestId('instances-page').waitFor();
    await page.getByTestId('filter-business-key').locator('input').fill(quoteId);
    await page.getByTestId('filter-business-key').locator('input').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('businessKey') === quoteId, { waitUntil: 'commit' });
    await eventually(
      async () => ((await page.getByTestId('instance-row').count()) === 1 ? true : undefined),
      'one row',
    );
    await expect(page.getByTestId('instance-link').textContent()).resolves.toBe(quoteId);
    await page.getByTestId('instance-link').click();
    await page.waitForURL(onInstancePage(instanceId), { waitUntil: 'commit' });
    await expect(page.getByTestId('instance-title').textContent()).resolves.toBe(quoteId);
    // The path: the quote priced and its approval levels judged, the manager's approval waiting.
    const states = await eventually(async () => {
      const current = await stepStates(page);
      return current['sequentialApproval'] === 'waiting' ? current : undefined;
    }, 'the path on the diagram');
    expect(states).toMatchObject({ price: 'done', levels: 'done', startRound: 'done', sequentialApproval: 'waiting' });
    expect(Object.values(states)).not.toContain('failed');
    // …drawn on the diagram: its nodes carry the same states, by step path.
    const waitingNode = page.locator('[data-testid="diagram-node"][data-state="waiting"]');
    await waitingNode.first().waitFor();
    const doneNodes = page.locator('[data-testid="diagram-node"][data-state="done"]');
    const donePaths: (string | null)[] = [];
    for (let index = 0; index < (await doneNodes.count()); index++)
      donePaths.push(await doneNodes.nth(index).getAttribute('data-path'));
    expect(donePaths).toEqual(expect.arrayContaining(['steps[0].repeat.steps[1]', 'steps[0].repeat.steps[2]']));
  }

  it('lets a sales manager find a quote approval by business key and see its path (en, desktop)', async () => {
    const { quoteId, instanceId } = await submitQuote();
    const page = await web.newPage();
    await web.signIn(page, MANAGER, undefined, '/inbox');
    await findAndOpen(page, quoteId, instanceId);
    const link = await page.getByTestId('temporal-link').getAttribute('href');
    expect(link).toBe(`http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(instanceId)}`);
    // A manager may cancel (instances.cancel), not retry or send events.
    await expect(page.getByTestId('instance-cancel').count()).resolves.toBe(1);
    await expect(page.getByTestId('instance-send-event').count()).resolves.toBe(0);
    await page.getByRole('tab', { name: 'Variables and results' }).click();
    await page.getByText('Variables and step results are shown to readers of every instance only').waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await web.screenshot(page, 'instances-en-desktop');
    await page.getByText('← All instances').click();
    await page.getByTestId('instances-page').waitFor();
    await web.screenshot(page, 'instances-list-en-desktop');
    await page.context().close();
  });

  it('shows the same in Chinese at phone width, without sideways scroll; a rep has no instances page', async () => {
    const { quoteId, instanceId } = await submitQuote();
    const page = await web.newPage({ locale: 'zh-CN', phone: true });
    await web.signIn(page, MANAGER, undefined, '/inbox');
    await page.goto(`${web.baseUrl}/instances?businessKey=${encodeURIComponent(quoteId)}`);
    await page.getByTestId('instance-link').click();
    await page.waitForURL(onInstancePage(instanceId), { waitUntil: 'commit' });
    await eventually(
      async () => ((await stepStates(page))['sequentialApproval'] === 'waiting' ? true : undefined),
      'the path in Chinese',
    );
    await page.getByText('执行路径').waitFor();
    await page.locator('[data-testid="diagram-node"][data-state="waiting"]').first().waitFor();
    await expect(pageWidth(page)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(page, 'instances-zh-CN-phone');
    await page.goto(`${web.baseUrl}/instances?businessKey=${encodeURIComponent(quoteId)}`);
    await page.getByTestId('instance-row').waitFor();
    await expect(pageWidth(page)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(page, 'instances-list-zh-CN-phone');

    const desktop = await web.newPage({ locale: 'zh-CN' });
    await web.signIn(desktop, MANAGER, undefined, `/instances/${instanceId}`);
    await desktop.locator('[data-testid="diagram-node"][data-state="waiting"]').first().waitFor();
    await web.screenshot(desktop, 'instances-zh-CN-desktop');

    const rep = await web.newPage();
    await web.signIn(rep, REP, undefined, '/inbox');
    await rep.getByTestId('nav-inbox').waitFor();
    await expect(rep.getByTestId('nav-instances').count()).resolves.toBe(0);
  });
  it('lets an admin see a step held in incident, fix its variable as JSON and retry it (en, desktop; zh-CN phone)', async () => {
    const h = web.crm;
    const key = `browser-incident-${Date.now()}`;
    const yaml = `key: ${key}
name: Browser incident
input: { type: object, properties: { ref: { type: string } }, required: [ref] }
businessKey: =input.ref
vars: { order: {} }
steps:
  - id: price
    set: { total: =vars.order.amount * 2 }
  - id: done
    end: { result: { total: =vars.total } }
`;
    const saved = await h.call(ADMIN_KEY, {
      method: 'PUT',
      url: `/api/v1/templates/${key}/draft`,
      headers: { 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(saved.json()).toMatchObject({ valid: true });
    json(await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/templates/${key}/publish` }), 201);
    const started = json<{ id: string }>(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: '/api/v1/instances',
        payload: { template: key, input: { ref: key } },
      }),
      201,
    );
    await eventually(async () => {
      const body = json<{ status: string }>(
        await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${started.id}` }),
        200,
      );
      return body.status === 'incident' ? true : undefined;
    }, 'the instance in incident');

    const phone = await web.newPage({ locale: 'zh-CN', phone: true });
    await web.signIn(phone, ADMIN, undefined, `/instances/${started.id}`);
    await phone.getByTestId('instance-step-incident').waitFor();
    await expect(pageWidth(phone)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(phone, 'instances-incident-zh-CN-phone');

    const page = await web.newPage();
    await web.signIn(page, ADMIN, undefined, `/instances/${started.id}`);
    const alert = page.getByTestId('instance-step-incident');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('price');
    await web.screenshot(page, 'instances-incident-en-desktop');
    await page.getByTestId('instance-edit-vars').click();
    const editor = page.getByTestId('instance-vars-json');
    await editor.waitFor();
    await eventually(async () => ((await editor.inputValue()).includes('order') ? true : undefined), 'the variables');
    await editor.fill('{ "order": { "amount": 21 } }');
    await web.screenshot(page, 'instances-incident-vars-en-desktop');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => {
      const body = json<{ vars: Record<string, unknown> | null }>(
        await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${started.id}/state` }),
        200,
      );
      return JSON.stringify(body.vars?.['order']) === '{"amount":21}' ? true : undefined;
    }, 'the variable set');
    await page.getByTestId('instance-retry').click();
    const done = await eventually(async () => {
      const body = json<{ status: string; result?: unknown }>(
        await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${started.id}` }),
        200,
      );
      return body.status === 'completed' ? body : undefined;
    }, 'completed after the retry');
    expect(done.result).toEqual({ total: 42 });
    await page.context().close();
    await phone.context().close();
  });
});
