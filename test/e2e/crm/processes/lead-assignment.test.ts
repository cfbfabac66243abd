import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CRM_PUBLIC_URL, startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import { waitForMail } from '../../../support/mailbox';
import { recordHistory } from '../../../workflow/support/history-recorder';
import { ADMIN_KEY, complete, createUser, giveOpenLeads, inbox, json, uniqueSuffix, until } from './crm-fixtures';

interface CreatedLead {
  lead: { id: string };
  processes: { templateKey: string; instanceId: string }[];
}

/** The built-in lead-assignment template, started by POST /leads, on the real servers. */
describe('lead assignment (built-in template, through the API)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function postLead(lead: Record<string, unknown>): Promise<CreatedLead> {
    const created = json<CreatedLead>(
      await h.call(ADMIN_KEY, { method: 'POST', url: '/api/v1/leads', payload: lead }),
      201,
    );
    expect(created.processes.map((p) => p.templateKey)).toContain('lead-assignment');
    return created;
  }
  const instanceOf = (created: CreatedLead) =>
    created.processes.find((p) => p.templateKey === 'lead-assignment')!.instanceId;
  const leadRow = async (id: string) =>
    (
      await h.sql<{ owner_id: string | null; status: string; customer_id: string | null }>(
        'select owner_id, status, customer_id from leads where id = ?',
        [id],
      )
    )[0]!;

  it('names the instances it starts in the answer, and they read at once though they start after the answer', async () => {
    const region = `r-${uniqueSuffix()}`;
    // More at once than the dispatcher has start slots (16): some starts still wait for one when read.
    const read = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const created = await postLead({
          source: 'web',
          company: `At once ${uniqueSuffix()}`,
          contactName: `Qian ${i}`,
          region,
        });
        const instanceId = instanceOf(created);
        expect(instanceId).toBe(`lead-assignment-lead.created-${created.lead.id}`);
        // No polling: a read of an instance this API process is still starting waits for it.
        const response = await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${instanceId}` });
        return { status: response.statusCode, body: response.json(), leadId: created.lead.id, instanceId };
      }),
    );
    for (const { status, body, leadId, instanceId } of read) {
      expect({ status, body }).toMatchObject({ status: 200, body: { id: instanceId, businessKey: leadId } });
    }
  });

  it('gives the lead to the region rep covering the product with the fewest open leads, mails them and opens their follow-up task', async () => {
    const region = `r-${uniqueSuffix()}`;
    const busy = await createUser(h, { roles: ['sales-rep'], region, productLines: ['erp'], capacity: 10 });
    const free = await createUser(h, {
      roles: ['sales-rep'],
      region,
      productLines: ['erp', 'crm'],
      capacity: 10,
      locale: 'zh-CN',
    });
    const otherProduct = await createUser(h, {
      roles: ['sales-rep'],
      region,
      productLines: ['hardware'],
      capacity: 10,
    });
    await giveOpenLeads(h, busy.id, 2, region);
    const company = `华东测试 ${uniqueSuffix()}`;

    const created = await postLead({
      source: 'web',
      company,
      contactName: '李雷',
      email: `li-${uniqueSuffix()}@lead.test`,
      region,
      productInterest: 'erp',
      estimatedValueCents: 1_200_000,
    });
    const instanceId = instanceOf(created);

    await until(async () => expect((await leadRow(created.lead.id)).owner_id).toBe(free.id));
    // The lead mail in the rep's language (zh-CN), besides the engine's own new-task mail.
    const mail = await waitForMail(
      (m) => m.to.includes(free.email) && m.subject === `新销售线索已分配给您：${company}`,
    );
    expect(mail.text).toContain(`${CRM_PUBLIC_URL}/api/v1/leads/${created.lead.id}`);
    const tasks = await until(async () => {
      const open = await inbox(h, free.apiKey, instanceId);
      expect(open).toHaveLength(1);
      return open;
    });
    expect(tasks[0]).toMatchObject({
      assignee: free.id,
      outcomes: ['contacted', 'qualified', 'disqualified', 'reassign'],
    });
    expect(await inbox(h, busy.apiKey, instanceId)).toEqual([]);
    expect(await inbox(h, otherProduct.apiKey, instanceId)).toEqual([]);

    // Contacted: the note is kept and a new follow-up opens; qualified: customer and opportunity.
    json(await complete(h, free.apiKey, tasks[0]!.id, 'contacted', { note: '电话沟通，客户有兴趣' }), 200);
    await until(async () => expect((await leadRow(created.lead.id)).status).toBe('contacted'));
    const next = await until(async () => {
      const open = await inbox(h, free.apiKey, instanceId);
      expect(open).toHaveLength(1);
      expect(open[0]!.id).not.toBe(tasks[0]!.id);
      return open[0]!;
    });
    json(await complete(h, free.apiKey, next.id, 'qualified', { opportunityName: 'ERP rollout' }), 200);
    const qualified = await until(async () => {
      const row = await leadRow(created.lead.id);
      expect(row).toMatchObject({ status: 'qualified' });
      expect(row.customer_id).not.toBeNull();
      return row;
    });
    const opportunities = await h.sql<{ name: string; stage: string; amount_cents: string | number }>(
      'select name, stage, amount_cents from opportunities where lead_id = ?',
      [created.lead.id],
    );
    expect(opportunities).toHaveLength(1);
    expect(opportunities[0]).toMatchObject({ name: 'ERP rollout', stage: 'qualification' });
    expect(Number(opportunities[0]!.amount_cents)).toBe(1_200_000);
    const customers = await h.sql<{ name: string }>('select name from customers where id = ?', [qualified.customer_id]);
    expect(customers[0]!.name).toBe(company);
    await until(async () => {
      const instance = json<{ status: string }>(
        await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${instanceId}` }),
        200,
      );
      expect(instance.status).toBe('completed');
    });
    // RECORD_HISTORIES=1 keeps this run for the replay test: the built-in template must keep replaying.
    await recordHistory(h.client.workflow.getHandle(instanceId), 'builtin-lead-assignment');
  });

  it("lets a sales manager hand a rep's open task to another rep of the team, who then sees it; another manager may not", async () => {
    const region = `r-${uniqueSuffix()}`;
    const manager = await createUser(h, { roles: ['sales-manager'], region });
    // Another team: another region, and nobody reports to them.
    const otherManager = await createUser(h, { roles: ['sales-manager'], region: `${region}-other` });
    const rep = await createUser(h, {
      roles: ['sales-rep'],
      region,
      productLines: ['erp'],
      capacity: 10,
      managerId: manager.id,
    });
    const colleague = await createUser(h, {
      roles: ['sales-rep'],
      region,
      productLines: ['crm'],
      capacity: 10,
      managerId: manager.id,
    });
    const created = await postLead({
      source: 'web',
      company: `Delegated ${uniqueSuffix()}`,
      contactName: 'Bo',
      region,
      productInterest: 'erp',
    });
    const instanceId = instanceOf(created);
    const [task] = await until(async () => {
      const open = await inbox(h, rep.apiKey, instanceId);
      expect(open).toHaveLength(1);
      return open;
    });
    const delegate = (apiKey: string) =>
      h.call(apiKey, {
        method: 'POST',
        url: `/api/v1/tasks/${encodeURIComponent(task!.id)}/delegate`,
        payload: { to: colleague.id },
      });

    // A manager of another team does not see the task at all.
    expect((await delegate(otherManager.apiKey)).statusCode).toBe(404);
    expect(json(await delegate(manager.apiKey), 200)).toMatchObject({ assignee: colleague.id, status: 'open' });
    expect((await inbox(h, colleague.apiKey, instanceId)).map((t) => t.id)).toEqual([task!.id]);
    expect(await inbox(h, rep.apiKey, instanceId)).toEqual([]);
  });

  it("puts a lead nobody in its region covers into the regional manager's queue", async () => {
    const region = `r-${uniqueSuffix()}`;
    const manager = await createUser(h, { roles: ['sales-manager'], region });
    await createUser(h, { roles: ['sales-rep'], region, productLines: ['hardware'], capacity: 5 });
    const created = await postLead({
      source: 'fair',
      company: `Nobody Fits ${uniqueSuffix()}`,
      contactName: 'Ann',
      region,
      productInterest: 'erp',
    });
    const instanceId = instanceOf(created);

    const tasks = await until(async () => {
      const open = await inbox(h, manager.apiKey, instanceId);
      expect(open).toHaveLength(1);
      return open;
    });
    expect(tasks[0]!.assignee).toBe(manager.id);
    expect((await leadRow(created.lead.id)).owner_id).toBeNull();
    await waitForMail((m) => m.to.includes(manager.email));

    json(await complete(h, manager.apiKey, tasks[0]!.id, 'disqualified', { reason: 'no budget' }), 200);
    await until(async () => expect((await leadRow(created.lead.id)).status).toBe('disqualified'));
  });
});
