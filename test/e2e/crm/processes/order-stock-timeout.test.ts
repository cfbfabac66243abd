import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import {
  createCustomer,
  createProduct,
  createSupplier,
  createUser,
  createWarehouse,
  inbox,
  until,
} from './crm-fixtures';
import { getOrder, postOrder, taskRows, waitForStepStarted } from './sales-process-fixtures';

/** Order fulfilment's long wait for missing stock, on a time-skipping server of its own. */
describe('order fulfilment: stock that does not arrive', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness({ timeSkipping: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('asks a sales manager to chase the supplier when the stock has not arrived in 7 days', async () => {
    const rep = await createUser(h, { roles: ['sales-rep'] });
    const manager = await createUser(h, { roles: ['sales-manager'] });
    const warehouse = await createWarehouse(h);
    const productLine = `line-late-${warehouse.id}`;
    const product = await createProduct(h, {
      listPriceCents: 1_000,
      productLine,
      stock: [{ warehouseId: warehouse.id, onHand: 0 }],
    });
    await createSupplier(h, productLine);
    const customer = await createCustomer(h, { ownerId: rep.id });

    const { order, instanceId } = await postOrder(h, rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 3 }],
    });
    // Nothing reserved, so no partial-delivery question: the process goes straight to waiting for stock.
    await until(async () => {
      const waiting = await getOrder(h, order.id);
      expect(waiting.status).toBe('awaiting-stock');
      expect(waiting.purchaseRequests).toHaveLength(1);
    });
    await waitForStepStarted(h, instanceId, 'stockArrived');
    expect(await inbox(h, manager.apiKey, instanceId)).toEqual([]);

    await h.env!.sleep('6 days');
    expect(await inbox(h, manager.apiKey, instanceId)).toEqual([]);
    await h.env!.sleep('1 day');
    const [task] = await until(async () => {
      const open = await inbox(h, manager.apiKey, instanceId);
      expect(open).toHaveLength(1);
      return open;
    });
    expect(task).toMatchObject({
      title: `Stock for order ${order.id} has not arrived in 7 days`,
      candidateRole: 'sales-manager',
      priority: 'high',
    });
    expect((await taskRows(h, instanceId)).map((t) => t.step_id)).toEqual(['stockOverdue']);
    expect((await getOrder(h, order.id)).status).toBe('awaiting-stock');
  });
});
