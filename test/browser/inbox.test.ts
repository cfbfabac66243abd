import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { eventually, eventuallyPasses } from '../support/eventually';
import {
  ADMIN_KEY,
  createCustomer,
  createProduct,
  createWarehouse,
  json,
  uniqueSuffix,
} from '../e2e/crm/processes/crm-fixtures';
import { postQuote } from '../e2e/crm/processes/sales-process-fixtures';

const MANAGER = 'sales.manager@crm.example';
const MANAGER_KEY = 'demo-manager-key';
const REP = 'sales.rep@crm.example';
const REP_KEY = 'demo-rep-key';

interface ApiTask {
  id: string;
  instanceId: string;
  assignee: string | null;
}

/**
 * The staff journeys through the inbox and the task page, in Chromium against the real product:
 * approving a quote (then its order), losing a race to another approver, qualifying a lead with
 * the task's form, bulk claim and complete, and the same in Chinese at phone width.
 */
describe('staff app: inbox and task page', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => {
    // The Chinese journey saved the manager's language; leave it as the seed had it.
    await web?.crm.call(MANAGER_KEY, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } });
    await web?.close();
  });

  /** A quote of the demo rep's that only a sales manager must approve (18 % discount, 8 200.00). */
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
    return { quoteId: quote.id, instanceId };
  }

  const openTaskOf = (apiKey: string, instanceId: string) =>
    eventually(async () => {
      const page = json<{ items: ApiTask[] }>(
        await web.crm.call(apiKey, { method: 'GET', url: '/api/v1/tasks?status=open&limit=200' }),
        200,
      );
      return page.items.find((task) => task.instanceId === instanceId);
    }, `an open task of ${instanceId}`);

  const rowOf = (page: Page, taskId: string) => page.locator(`[data-task-id="${taskId}"]`);
  const pageWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth');

  it('lets a sales manager approve a quote from the inbox, then shows the order in the quote', async () => {
    const { quoteId, instanceId } = await submitQuote();
    const task = await openTaskOf(MANAGER_KEY, instanceId);
    const page = await web.newPage();
    await web.signIn(page, MANAGER, undefined, '/inbox?view=queue');
    await rowOf(page, task.id).waitFor();
    await expect(page.getByTestId('count-queue').textContent()).resolves.toMatch(/^\d+$/);
    await expect(rowOf(page, task.id).getByTestId('due-countdown').textContent()).resolves.toMatch(/^in 2[34]h/);
    await web.screenshot(page, 'inbox-en-desktop');

    await rowOf(page, task.id).getByTestId('task-link').click();
    await page.getByTestId('quote-context').waitFor();
    await expect(page.getByTestId('quote-context').textContent()).resolves.toContain(quoteId);
    await page.getByTestId('quote-approval').first().waitFor();
    await web.screenshot(page, 'task-en-desktop');

    await page.getByTestId('comment').fill('Margin is fine.');
    await page.getByTestId('outcome-approve').click();
    await page.getByTestId('task-closed').waitFor();
    await expect(page.getByTestId('task-closed').textContent()).resolves.toMatch(/Completed by .* at/);
    await page.getByTestId('order-context').waitFor({ timeout: 40_000 });
    await expect(page.getByTestId('quote-status').textContent()).resolves.toMatch(/Approved|Accepted/);
    await page.getByTestId('history-item').filter({ hasText: 'Completed' }).waitFor();
    await web.screenshot(page, 'task-en-desktop-approved');
  });

  it('tells a second approver that the task was already completed, by whom and when', async () => {
    const { instanceId } = await submitQuote();
    const task = await openTaskOf(MANAGER_KEY, instanceId);
    const path = `/tasks/${encodeURIComponent(task.id)}`;
    const first = await web.newPage();
    await web.signIn(first, MANAGER, undefined, path);
    const second = await web.newPage();
    await web.signIn(second, 'admin@crm.example', undefined, path);
    await first.getByTestId('outcome-approve').waitFor();
    await second.getByTestId('outcome-approve').waitFor();

    await first.getByTestId('outcome-approve').click();
    await first.getByTestId('task-closed').waitFor();
    await second.getByTestId('outcome-approve').click();
    await second.getByTestId('already-completed').waitFor();
    await expect(second.getByTestId('already-completed').textContent()).resolves.toMatch(
      /Already completed by (Morgan Manager|u-sales-manager) at .*not recorded/,
    );
    await web.screenshot(second, 'task-en-desktop-already-completed');
  });

  it('claims two queued tasks at once, then completes both with one outcome', async () => {
    const quotes = await Promise.all([submitQuote(), submitQuote()]);
    const tasks = await Promise.all(quotes.map((quote) => openTaskOf(MANAGER_KEY, quote.instanceId)));
    const page = await web.newPage();
    await web.signIn(page, MANAGER, undefined, '/inbox?view=queue&sort=created&order=desc');
    for (const task of tasks) {
      await rowOf(page, task.id).waitFor();
      await rowOf(page, task.id).locator('input[type="checkbox"]').check();
    }
    await page.getByTestId('bulk-claim').click();
    await page.getByTestId('bulk-results').waitFor();
    await expect(page.getByTestId('bulk-result').and(page.locator('[data-ok="true"]')).count()).resolves.toBe(2);
    for (const task of tasks) {
      const claimed = json<ApiTask>(
        await web.crm.call(MANAGER_KEY, { method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(task.id)}` }),
        200,
      );
      expect(claimed.assignee).toBe('u-sales-manager');
    }

    await page.getByTestId('tab-mine').click();
    expect(new URL(page.url()).searchParams.get('view')).toBe('mine');
    for (const task of tasks) {
      await rowOf(page, task.id).waitFor();
      await rowOf(page, task.id).locator('input[type="checkbox"]').check();
    }
    await page.getByTestId('bulk-complete').click();
    await page.getByTestId('bulk-outcome').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /approve/i })
      .click();
    await page.getByTestId('bulk-complete-ok').click();
    await page.getByTestId('bulk-results').filter({ hasText: 'Completed: 2, failed: 0' }).waitFor();
    for (const task of tasks) await rowOf(page, task.id).waitFor({ state: 'detached' });
  });

  it('shows new work without a reload, and hands a claimed task on to a person picked from a search', async () => {
    const page = await web.newPage();
    // The page's own clock, so that its 10 s poll of the counts comes when the task is there instead
    // of when the interval has passed; time runs as usual otherwise.
    await page.clock.install();
    await web.signIn(page, MANAGER, undefined, '/inbox?view=queue');
    await page.getByTestId('task-table').waitFor();
    const { instanceId } = await submitQuote();
    const task = await openTaskOf(MANAGER_KEY, instanceId);
    // The counts are polled every 10 s; a change brings the list again.
    await page.clock.runFor(10_000);
    await rowOf(page, task.id).waitFor({ timeout: 25_000 });

    await rowOf(page, task.id).getByTestId('task-link').click();
    await page.getByTestId('claim').click();
    await page.getByTestId('assignment').filter({ hasText: 'Assigned to you' }).waitFor();
    await page.getByTestId('delegate').click();
    await page.getByTestId('delegate-picker').click();
    await page.keyboard.type('mgr.east');
    await page.locator('.ant-select-item-option').filter({ hasText: 'mgr.east@crm.example' }).click();
    await page.getByRole('button', { name: 'Delegate', exact: true }).last().click();
    // Handed on, the task leaves the manager's inbox: the app goes back there.
    await page.getByTestId('inbox').waitFor();
    await rowOf(page, task.id).waitFor({ state: 'detached' });
    const delegated = json<ApiTask>(
      await web.crm.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(task.id)}` }),
      200,
    );
    expect(delegated.assignee).toBe('u-mgr-east');
  });

  it('keeps filters and sort in the URL, saves them as a shared view another person opens by link, and deletes it', async () => {
    const page = await web.newPage();
    await web.signIn(page, MANAGER, undefined, '/inbox');
    await page.getByTestId('inbox').waitFor();
    await page.getByTestId('tab-queue').click();
    await page.getByTestId('filter-priority').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Normal' }).click();
    await page.getByPlaceholder('Search titles').fill('quote');
    await page.getByPlaceholder('Search titles').press('Enter');
    await page.getByTestId('sort-order').click();
    await eventuallyPasses(async () => {
      const params = new URL(page.url()).searchParams;
      expect(Object.fromEntries(params)).toMatchObject({
        view: 'queue',
        priority: 'normal',
        q: 'quote',
        order: 'desc',
      });
    }, 'the filters in the URL');

    const name = `Normal quotes ${uniqueSuffix()}`;
    await page.getByTestId('save-view').click();
    await page.getByTestId('view-name').fill(name);
    await page.getByTestId('view-shared').click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const savedView = await eventually(
      () => new URL(page.url()).searchParams.get('savedView') ?? undefined,
      'the saved view in the URL',
    );

    // Someone else opens the link: the view's filters fill their inbox.
    const other = await web.newPage();
    await web.signIn(other, 'admin@crm.example', undefined, `/inbox?savedView=${savedView}`);
    await eventuallyPasses(async () => {
      const params = new URL(other.url()).searchParams;
      expect(Object.fromEntries(params)).toMatchObject({ savedView, view: 'queue', priority: 'normal', q: 'quote' });
    }, 'the shared view opened by link');
    await expect(other.getByTestId('delete-view').count()).resolves.toBe(0);

    await page.getByTestId('delete-view').click();
    await eventuallyPasses(async () => {
      const views = json<{ items: { id: string }[] } | { id: string }[]>(
        await web.crm.call(MANAGER_KEY, { method: 'GET', url: '/api/v1/task-views' }),
        200,
      );
      expect((Array.isArray(views) ? views : views.items).map((v) => v.id)).not.toContain(savedView);
    }, 'the view deleted');
  });

  it('lets a rep qualify a lead with the follow-up form, at phone width', async () => {
    const company = `Browser Lead ${uniqueSuffix()}`;
    const created = json<{ lead: { id: string }; processes: { templateKey: string; instanceId: string }[] }>(
      await web.crm.call(ADMIN_KEY, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: {
          source: 'web',
          company,
          contactName: 'Lee Buyer',
          email: `lee-${uniqueSuffix()}@lead.test`,
          region: 'EU',
          productInterest: 'software',
          estimatedValueCents: 900_000,
        },
      }),
      201,
    );
    const instanceId = created.processes.find((p) => p.templateKey === 'lead-assignment')!.instanceId;
    const task = await openTaskOf(REP_KEY, instanceId);

    const page = await web.newPage({ phone: true });
    await web.signIn(page, REP, undefined, '/inbox');
    await page.getByTestId('task-cards').waitFor();
    await rowOf(page, task.id).waitFor();
    await expect(pageWidth(page)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(page, 'inbox-en-phone');

    await rowOf(page, task.id).getByTestId('task-link').click();
    await page.getByTestId('lead-context').waitFor();
    await expect(page.getByTestId('lead-context').textContent()).resolves.toContain(company);
    await page.locator('#root_opportunityName').fill('Software rollout');
    await page.locator('#root_note').fill('Called, they want a rollout this quarter.');
    await expect(pageWidth(page)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(page, 'task-en-phone');
    await page.getByTestId('outcome-qualified').click();
    await page.getByTestId('task-closed').waitFor();
    await page.getByTestId('lead-status').filter({ hasText: 'Qualified' }).waitFor({ timeout: 30_000 });
    const opportunities = await web.crm.sql<{ name: string }>('select name from opportunities where lead_id = ?', [
      created.lead.id,
    ]);
    expect(opportunities.map((o) => o.name)).toEqual(['Software rollout']);
  });

  it('works in Chinese after switching the language, at phone and desk width', async () => {
    const { quoteId, instanceId } = await submitQuote();
    const task = await openTaskOf(MANAGER_KEY, instanceId);
    const phone = await web.newPage({ phone: true });
    await web.signIn(phone, MANAGER, undefined, '/inbox?view=queue');
    await rowOf(phone, task.id).waitFor();
    await phone.getByTestId('locale-switch').click();
    await phone.getByTitle('中文').click();
    await expect(phone.getByTestId('tab-queue').textContent()).resolves.toContain('我的队列');
    await expect(rowOf(phone, task.id).getByTestId('due-countdown').textContent()).resolves.toMatch(/^剩余 2[34] 小时/);
    await expect(pageWidth(phone)).resolves.toBeLessThanOrEqual(390);
    // The picker's list fades out after the choice; the screenshot shows the inbox, not the list over its tabs.
    await phone.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await web.screenshot(phone, 'inbox-zh-CN-phone');

    await rowOf(phone, task.id).getByTestId('task-link').click();
    await phone.getByTestId('quote-context').waitFor();
    await expect(phone.getByTestId('quote-context').textContent()).resolves.toContain('阶梯价');
    await expect(pageWidth(phone)).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(phone, 'task-zh-CN-phone');

    // The saved language follows the person to another device, here a desk-width browser in English.
    const desk = await web.newPage();
    await web.signIn(desk, MANAGER, undefined, '/inbox?view=queue');
    await rowOf(desk, task.id).waitFor();
    await expect(desk.getByTestId('nav-inbox').textContent()).resolves.toBe('收件箱');
    await web.screenshot(desk, 'inbox-zh-CN-desktop');
    await rowOf(desk, task.id).getByTestId('task-link').click();
    await desk.getByTestId('quote-context').waitFor();
    await web.screenshot(desk, 'task-zh-CN-desktop');

    await phone.getByTestId('outcome-approve').click();
    await phone.getByTestId('task-closed').waitFor();
    await expect(phone.getByTestId('task-closed').textContent()).resolves.toMatch(/已由 .* 于 .* 完成/);
    await phone.getByTestId('order-context').waitFor({ timeout: 40_000 });
    await expect(phone.getByTestId('quote-context').textContent()).resolves.toContain(quoteId);
    await web.screenshot(phone, 'task-zh-CN-phone-approved');
  });
});
