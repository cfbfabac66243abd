import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startApiHarness, type ApiHarness } from '../../../support/api-harness';

/** Leads through HTTP: validation, duplicates, who sees what, and the process lead.created starts. */
describe('CRM leads API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  const unique = () => randomUUID().slice(0, 8);
  const newLead = (over: Record<string, unknown> = {}) => ({
    source: 'web',
    company: `Acme ${unique()}`,
    contactName: `Li ${unique()}`,
    ...over,
  });

  it('reports every problem of a lead at once: missing fields, bad e-mail, bad phone', async () => {
    const response = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { email: 'not-an-email', phone: '12345' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const body = response.json();
    expect(body.type).toBe('https://crm-engine.dev/problems/validation');
    const paths = (body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/body/source', '/body/company', '/body/contactName', '/body/email', '/body/phone']),
    );
  });

  it('accepts a Chinese mobile number and stores it in E.164; the answer is the stored lead, replayed or not', async () => {
    const create = {
      method: 'POST' as const,
      url: '/api/v1/leads',
      headers: { 'idempotency-key': `phone-${randomUUID()}` },
      payload: newLead({ phone: '13800138000' }),
    };
    const response = await api.call('rep', create);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    // Other tests may have bound templates to lead.created in the shared database: `processes` is not asserted empty.
    expect(body).toMatchObject({
      lead: { phone: '+8613800138000', status: 'new', ownerId: 'u-sales-rep' },
      triggerPending: false,
    });
    expect(body.lead.id).toMatch(/^L-[0-9A-F]{12}$/);
    const read = await api.call('rep', { method: 'GET', url: `/api/v1/leads/${body.lead.id}` });
    expect(read.json()).toMatchObject({ id: body.lead.id, phone: '+8613800138000', notes: [] });
    // The answer is built from the lead as written, not read back: it must be what was stored.
    const { notes: _notes, ...stored } = read.json() as Record<string, unknown>;
    expect(body.lead).toEqual(stored);
    const replayed = await api.call('rep', create);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json().lead).toEqual(stored);
  });

  it('refuses a duplicate by e-mail (any case) and by company + contact (case and spaces), unless allowed', async () => {
    const email = `Buyer.${unique()}@Example.test`;
    const first = await api.call('rep', { method: 'POST', url: '/api/v1/leads', payload: newLead({ email }) });
    expect(first.statusCode).toBe(201);
    const firstId = first.json().lead.id as string;

    const byEmail = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/leads',
      payload: newLead({ email: email.toLowerCase() }),
    });
    expect(byEmail.statusCode).toBe(409);
    expect(byEmail.json()).toMatchObject({
      type: 'https://crm-engine.dev/problems/lead-duplicate',
      duplicateOf: firstId,
    });

    const company = `Great  Wall ${unique()}`;
    const second = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/leads',
      payload: newLead({ company, contactName: 'Wang Wei' }),
    });
    expect(second.statusCode).toBe(201);
    const byName = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/leads',
      payload: newLead({ company: ` ${company.toUpperCase().replace('  ', ' ')}`, contactName: 'wang  wei' }),
    });
    expect(byName.statusCode).toBe(409);
    expect(byName.json().duplicateOf).toBe(second.json().lead.id);

    const allowed = await api.call('rep', {
      method: 'POST',
      url: '/api/v1/leads?allowDuplicate=true',
      payload: newLead({ email }),
    });
    expect(allowed.statusCode).toBe(201);
  });

  it("shows a sales rep only their own leads; a manager the team's, not another region's nor unassigned ones", async () => {
    const mine = (await api.call('rep', { method: 'POST', url: '/api/v1/leads', payload: newLead() })).json().lead
      .id as string;
    const others = (await api.call('admin', { method: 'POST', url: '/api/v1/leads', payload: newLead() })).json().lead
      .id as string;
    // A rep of region north (the demo company), not on the EU manager's team.
    const northern = (
      await api.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers: { 'x-api-key': 'demo-rep-north-1-key' },
        payload: newLead(),
      })
    ).json().lead.id as string;

    const repList = (await api.call('rep', { method: 'GET', url: '/api/v1/leads?limit=200' })).json();
    const repIds = (repList.items as { id: string; ownerId: string }[]).map((l) => l.id);
    expect(repIds).toContain(mine);
    expect(repIds).not.toContain(others);
    expect((repList.items as { ownerId: string }[]).every((l) => l.ownerId === 'u-sales-rep')).toBe(true);
    expect((await api.call('rep', { method: 'GET', url: `/api/v1/leads/${others}` })).statusCode).toBe(404);

    const managerIds = (
      (await api.call('manager', { method: 'GET', url: '/api/v1/leads?limit=200' })).json().items as { id: string }[]
    ).map((l) => l.id);
    expect(managerIds).toContain(mine);
    expect(managerIds).not.toContain(northern);
    // An admin's lead waits unassigned for the assignment process: only see-all readers see it.
    expect(managerIds).not.toContain(others);
    expect((await api.call('manager', { method: 'GET', url: `/api/v1/leads/${mine}` })).statusCode).toBe(200);
    expect((await api.call('manager', { method: 'GET', url: `/api/v1/leads/${northern}` })).statusCode).toBe(404);
    expect((await api.call('manager', { method: 'GET', url: `/api/v1/leads/${others}` })).statusCode).toBe(404);
    expect((await api.call('admin', { method: 'GET', url: `/api/v1/leads/${northern}` })).statusCode).toBe(200);
  });

  it('starts a template bound to lead.created with the new lead id as input', async () => {
    const key = `e2e-lead-trigger-${unique()}`;
    const yaml = (bound: boolean) => `key: ${key}
name: E2E lead trigger
input:
  type: object
  required: [leadId]
  properties: { leadId: { type: string } }
businessKey: =input.leadId
${bound ? 'triggers: [{ event: lead.created }]' : ''}
steps:
  - id: wait
    receive: { event: lead.touched, timeout: PT1M }
`;
    const publish = async (bound: boolean) => {
      await api.publish(key, yaml(bound));
    };
    await publish(true);
    try {
      await startsOnLeadCreated(key);
    } finally {
      // Templates cannot be retired; a newer version without the trigger unbinds it for the other tests sharing the database.
      await publish(false);
    }
  });

  async function startsOnLeadCreated(key: string) {
    const created = await api.call('rep', { method: 'POST', url: '/api/v1/leads', payload: newLead() });
    expect(created.statusCode).toBe(201);
    const { lead, processes } = created.json() as {
      lead: { id: string };
      processes: { templateKey: string; instanceId: string }[];
    };
    const mine = processes.find((p) => p.templateKey === key);
    expect(mine).toBeDefined();
    const instance = await eventually(async () => {
      const response = await api.call('admin', { method: 'GET', url: `/api/v1/instances/${mine!.instanceId}` });
      return response.statusCode === 200 ? response.json() : undefined;
    }, 'the started instance');
    expect(instance).toMatchObject({ templateKey: key, businessKey: lead.id });
    await api.call('admin', { method: 'POST', url: `/api/v1/instances/${mine!.instanceId}/cancel` });
  }
});
