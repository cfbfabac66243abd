import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, createWarehouse, json } from '../e2e/crm/processes/crm-fixtures';
import { getQuote, postQuote } from '../e2e/crm/processes/sales-process-fixtures';

const MANAGER_KEY = 'demo-manager-key';
const REP = 'sales.rep@crm.example';
const REP_KEY = 'demo-rep-key';

interface ApiTask {
  id: string;
  instanceId: string;
  stepId: string;
}

/**
 * The task page shows a field the template requires as required and will not complete the task
 * without it: the Revise task of a sent-back quote, whose later step reads `changeReason`.
 */
describe('staff app: a task form with a required field', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => {
    await web?.close();
  });

  const openTaskOf = (apiKey: string, instanceId: string, stepId: string) =>
    eventually(async () => {
      const page = json<{ items: ApiTask[] }>(
        await web.crm.call(apiKey, { method: 'GET', url: '/api/v1/tasks?status=open&limit=200' }),
        200,
      );
      return page.items.find((task) => task.instanceId === instanceId && task.stepId === stepId);
    }, `an open ${stepId} task of ${instanceId}`);

  it('marks What changed as required on the Revise task and completes it only once filled in', async () => {
    const h = web.crm;
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: 'u-sales-rep' });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 1000 }],
    });
    const { quote, instanceId } = await postQuote(h, REP_KEY, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const approval = await openTaskOf(MANAGER_KEY, instanceId, 'sequentialApproval');
    json(
      await h.call(MANAGER_KEY, {
        method: 'POST',
        url: `/api/v1/tasks/${encodeURIComponent(approval.id)}/complete`,
        payload: { outcome: 'sendBack', form: { reason: 'split the delivery' } },
      }),
      200,
    );
    const revise = await openTaskOf(REP_KEY, instanceId, 'revise');

    const page = await web.newPage();
    await web.signIn(page, REP, undefined, `/tasks/${encodeURIComponent(revise.id)}`);
    const field = page.locator('#root_changeReason');
    await field.waitFor();
    const label = page.locator('label[for="root_changeReason"]');
    await expect(label.getAttribute('class')).resolves.toContain('ant-form-item-required');

    await page.getByTestId('outcome-revised').click();
    await page.getByText('This field is required.').waitFor();
    expect(await page.getByTestId('task-closed').count()).toBe(0);
    await web.screenshot(page, 'task-form-required-en-desktop');

    await field.fill('Two deliveries of five');
    await page.getByTestId('outcome-revised').click();
    await page.getByTestId('task-closed').waitFor();
    await eventually(async () => {
      const versions = (await getQuote(h, quote.id)).versions.map((v) => v.changeReason);
      return versions.length === 2 && versions[1] === 'Two deliveries of five' ? versions : undefined;
    }, 'version 2 with the change reason');
  });
});
