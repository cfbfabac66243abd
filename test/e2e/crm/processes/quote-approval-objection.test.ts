import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { listMail, waitForMail } from '../../../support/mailbox';
import {
  ADMIN_KEY,
  complete,
  createCustomer,
  createProduct,
  createWarehouse,
  inbox,
  json,
  until,
} from './crm-fixtures';
import {
  createSalesTeam,
  getQuote,
  postQuote,
  taskRows,
  waitForInbox,
  waitForStatus,
  type SalesTeam,
} from './sales-process-fixtures';

/**
 * Finance and the director approve a big quote together; the first objection decides the level
 * at once (the `together` forEach's completion condition): the other approver's task is
 * withdrawn, gone from their inbox, and they are told it is no longer needed.
 */
describe('quote approval: the first objection of parallel approvers decides', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** A quote above 20 % discount: the manager, then finance and the director together. */
  async function atSecondLevel(financeLocale = 'en'): Promise<{
    team: SalesTeam;
    quoteId: string;
    instanceId: string;
    financeTaskId: string;
    directorTaskId: string;
  }> {
    const team = await createSalesTeam(h);
    await h.sql(
      `update engine_user set attributes = attributes || jsonb_build_object('locale', ?::text) where id = ?`,
      [financeLocale, team.finance.id],
    );
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.25, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 1000 }],
    });
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [managerTask] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, managerTask!.id, 'approve'), 200);
    const [financeTask] = await waitForInbox(h, team.finance, instanceId);
    const [directorTask] = await waitForInbox(h, team.director, instanceId);
    return { team, quoteId: quote.id, instanceId, financeTaskId: financeTask!.id, directorTaskId: directorTask!.id };
  }

  async function expectDirectorReleased(team: SalesTeam, instanceId: string, directorTaskId: string, quoteId: string) {
    await until(async () => expect(await inbox(h, team.director.apiKey, instanceId)).toEqual([]));
    const [row] = await h.sql<{ status: string }>('select status from task where id = ?', [directorTaskId]);
    expect(row!.status).toBe('cancelled');
    const withdrawn = await waitForMail(
      (m) =>
        m.to.includes(team.director.email) && m.subject.startsWith('No longer needed') && m.subject.includes(quoteId),
    );
    expect(withdrawn.text).toContain(`Test ${team.director.id}`);
    // Too late to decide: the withdrawn task refuses a completion.
    expect((await complete(h, team.director.apiKey, directorTaskId, 'approve')).statusCode).toBe(409);
  }

  it('rejects the quote as soon as finance rejects, withdrawing the director’s task', async () => {
    const { team, quoteId, instanceId, financeTaskId, directorTaskId } = await atSecondLevel();
    json(await complete(h, team.finance.apiKey, financeTaskId, 'reject', { reason: 'no margin left' }), 200);

    await until(async () => expect((await getQuote(h, quoteId)).status).toBe('rejected'));
    await expectDirectorReleased(team, instanceId, directorTaskId, quoteId);
    const decided = await waitForMail(
      (m) => m.to.includes(team.rep.email) && m.subject === `Quote ${quoteId} not approved`,
    );
    expect(decided.text).toContain('no margin left');
    const rows = await taskRows(h, instanceId);
    expect(rows.map((t) => [t.candidate_role, t.status, t.outcome]).sort()).toEqual([
      ['director', 'cancelled', null],
      ['finance', 'completed', 'reject'],
      ['sales-manager', 'completed', 'approve'],
    ]);
  });

  it('sends the quote back as soon as the director sends it back, withdrawing finance’s task (told in Chinese)', async () => {
    const { team, quoteId, instanceId, financeTaskId, directorTaskId } = await atSecondLevel('zh-CN');
    json(await complete(h, team.director.apiKey, directorTaskId, 'sendBack', { reason: 'fewer units' }), 200);

    await until(async () => expect((await getQuote(h, quoteId)).status).toBe('changes-requested'));
    const [revise] = await waitForInbox(h, team.rep, instanceId);
    expect(revise).toMatchObject({ assignee: team.rep.id, outcomes: ['revised'] });
    expect(revise!.title).toContain('fewer units');
    await until(async () => expect(await inbox(h, team.finance.apiKey, instanceId)).toEqual([]));
    const [row] = await h.sql<{ status: string }>('select status from task where id = ?', [financeTaskId]);
    expect(row!.status).toBe('cancelled');
    const withdrawn = await waitForMail(
      (m) => m.to.includes(team.finance.email) && m.subject.startsWith('无需再处理') && m.subject.includes(quoteId),
    );
    expect(withdrawn.text).toContain('已撤回');
  });

  it('tells no one a decision is no longer needed when an operator cancels the whole instance', async () => {
    const { team, instanceId, financeTaskId, directorTaskId } = await atSecondLevel();
    json(await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/instances/${instanceId}/cancel` }), 202);
    await waitForStatus(h, instanceId, 'cancelled');
    await until(async () => {
      const rows = await h.sql<{ id: string; status: string }>('select id, status from task where id in (?, ?)', [
        financeTaskId,
        directorTaskId,
      ]);
      expect(rows.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    });
    expect(await inbox(h, team.director.apiKey, instanceId)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const told = (await listMail()).filter(
      (m) =>
        (m.to.includes(team.finance.email) || m.to.includes(team.director.email)) && m.subject.startsWith('No longer'),
    );
    expect(told).toEqual([]);
  });
});
