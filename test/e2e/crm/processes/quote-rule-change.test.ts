import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { ADMIN_KEY, complete, createCustomer, createProduct, createWarehouse, json, until } from './crm-fixtures';
import {
  createSalesTeam,
  getInstance,
  postQuote,
  taskRows,
  waitForInbox,
  waitForStatus,
} from './sales-process-fixtures';

const KEY = 'quote-approval';
const MANAGER_LEVEL = 'discountPercentAbove: 10, totalAboveCents: 5000000 }';

/**
 * A designer raises the manager's discount threshold from 10 % to 15 % through the API, with no
 * restart: new quotes follow it, a running one keeps its own version. The rules are shared by every
 * test file, so the original source goes back as a newer version even when the test fails.
 */
describe('quote approval rule change (published through the API)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function publish(source: string): Promise<number> {
    const saved = json<{ valid: boolean }>(
      await h.call(ADMIN_KEY, {
        method: 'PUT',
        url: `/api/v1/templates/${KEY}/draft`,
        headers: { 'content-type': 'application/yaml' },
        payload: source,
      }),
      200,
    );
    expect(saved.valid).toBe(true);
    return json<{ version: number; created: boolean }>(
      await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/templates/${KEY}/publish` }),
      201,
    ).version;
  }

  it('lets a new 12 % quote through without approval while a quote started before still waits for the manager', async () => {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.12, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 10_000,
      stock: [{ warehouseId: warehouse.id, onHand: 100 }],
    });
    const lines = [{ productId: product.id, quantity: 2 }];

    const before = await postQuote(h, team.rep.apiKey, { customerId: customer.id, lines });
    const [managerTask] = await waitForInbox(h, team.manager, before.instanceId);
    const oldVersion = (await getInstance(h, before.instanceId)).version;

    const latest = json<{ latestVersion: number }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/templates/${KEY}` }),
      200,
    ).latestVersion;
    const { source } = json<{ source: string }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/templates/${KEY}/versions/${latest}` }),
      200,
    );
    expect(source).toContain(MANAGER_LEVEL);
    const newVersion = await publish(
      source.replace(MANAGER_LEVEL, 'discountPercentAbove: 15, totalAboveCents: 5000000 }'),
    );
    try {
      expect(newVersion).toBeGreaterThan(oldVersion);
      const after = await postQuote(h, team.rep.apiKey, { customerId: customer.id, lines });
      await waitForStatus(h, after.instanceId, 'completed');
      expect((await getInstance(h, after.instanceId)).version).toBe(newVersion);
      expect(await taskRows(h, after.instanceId)).toEqual([]);
      await until(async () =>
        expect(await h.sql('select id from orders where quote_id = ?', [after.quote.id])).toHaveLength(1),
      );
    } finally {
      // The content of an older version is published again as the newest (a rollback).
      await publish(source);
    }

    // The quote started before runs its own version to the end: the manager still decides it.
    expect((await getInstance(h, before.instanceId)).version).toBe(oldVersion);
    json(await complete(h, team.manager.apiKey, managerTask!.id, 'approve'), 200);
    await waitForStatus(h, before.instanceId, 'completed');
    await until(async () =>
      expect(await h.sql('select id from orders where quote_id = ?', [before.quote.id])).toHaveLength(1),
    );
  });
});
