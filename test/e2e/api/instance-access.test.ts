import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../support/crm-harness';
import { ADMIN_KEY, createUser, json, uniqueSuffix, until, type TestUser } from '../crm/processes/crm-fixtures';

interface CreatedLead {
  lead: { id: string };
  processes: { templateKey: string; instanceId: string }[];
}

/**
 * Who sees, signals, cancels and starts process instances, with the built-in templates on the real
 * servers: instances are scoped like their business records, never by knowing an id.
 */
describe('process instances are scoped to who may see them', () => {
  let h: CrmHarness;
  let repA: TestUser;
  let managerA: TestUser;
  let repB: TestUser;
  let managerB: TestUser;
  let warehouse: TestUser;
  let leadId: string;
  let instanceId: string;

  beforeAll(async () => {
    h = await startCrmHarness();
    const regionA = `ra-${uniqueSuffix()}`;
    const regionB = `rb-${uniqueSuffix()}`;
    managerA = await createUser(h, { roles: ['sales-manager'], region: regionA });
    repA = await createUser(h, {
      roles: ['sales-rep'],
      region: regionA,
      productLines: ['erp'],
      managerId: managerA.id,
    });
    managerB = await createUser(h, { roles: ['sales-manager'], region: regionB });
    repB = await createUser(h, {
      roles: ['sales-rep'],
      region: regionB,
      productLines: ['erp'],
      managerId: managerB.id,
    });
    warehouse = await createUser(h, { roles: ['warehouse'] });
    const created = json<CreatedLead>(
      await h.call(repA.apiKey, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: {
          source: 'web',
          contactName: 'Pat Buyer',
          company: `Scoped ${uniqueSuffix()}`,
          region: regionA,
          productInterest: 'erp',
        },
      }),
      201,
    );
    leadId = created.lead.id;
    instanceId = created.processes.find((p) => p.templateKey === 'lead-assignment')!.instanceId;
    // Projected with its starter, so the checks below read the projection.
    await until(async () => {
      const rows = await h.sql('select 1 from timeline_entry where instance_id = ? and type = ?', [
        instanceId,
        'instance.started',
      ]);
      expect(rows).toHaveLength(1);
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (key: string, url: string) => h.call(key, { method: 'GET', url });
  const missingBody = (id: string) => ({
    status: 404,
    type: 'https://crm-engine.dev/problems/instance-not-found',
    detail: `No process instance '${id}'.`,
  });

  it("shows rep A's lead-assignment instance to rep A, their manager and admins, and to nobody else (404 like a missing id)", async () => {
    for (const key of [repA.apiKey, managerA.apiKey, ADMIN_KEY]) {
      expect((await get(key, `/api/v1/instances/${instanceId}`)).json()).toMatchObject({ id: instanceId });
      expect((await get(key, `/api/v1/instances/${instanceId}/timeline`)).statusCode).toBe(200);
    }
    const missing = await get(repB.apiKey, '/api/v1/instances/lead-assignment-nope');
    expect(missing.json()).toMatchObject(missingBody('lead-assignment-nope'));
    for (const key of [repB.apiKey, managerB.apiKey, warehouse.apiKey]) {
      const read = await get(key, `/api/v1/instances/${instanceId}`);
      expect(read.statusCode).toBe(404);
      expect(read.json()).toMatchObject(missingBody(instanceId));
      expect(Object.keys(read.json()).sort()).toEqual(Object.keys(missing.json()).sort());
      const timeline = await get(key, `/api/v1/instances/${instanceId}/timeline`);
      expect(timeline.json()).toMatchObject(missingBody(instanceId));
      const listed = await get(key, `/api/v1/instances?businessKey=${leadId}`);
      expect(listed.json().items).toEqual([]);
    }
    expect((await get(repA.apiKey, `/api/v1/instances?businessKey=${leadId}`)).json().items).toEqual([
      expect.objectContaining({ id: instanceId }),
    ]);
  });

  it("lets neither rep B nor another region's manager signal or cancel it, and sends nothing", async () => {
    const before = (await get(ADMIN_KEY, `/api/v1/instances/${instanceId}/timeline`)).json().items.length as number;
    const signal = (key: string) =>
      h.call(key, {
        method: 'POST',
        url: `/api/v1/instances/${instanceId}/events`,
        payload: { event: 'lead.qualified', payload: { by: 'rep B' } },
      });
    expect((await signal(repB.apiKey)).statusCode).toBe(403);
    expect((await signal(managerB.apiKey)).statusCode).toBe(403);
    expect(
      (await h.call(repB.apiKey, { method: 'POST', url: `/api/v1/instances/${instanceId}/cancel` })).statusCode,
    ).toBe(403);
    const cancel = await h.call(managerB.apiKey, { method: 'POST', url: `/api/v1/instances/${instanceId}/cancel` });
    expect(cancel.json()).toMatchObject(missingBody(instanceId));
    const after = await get(ADMIN_KEY, `/api/v1/instances/${instanceId}`);
    expect(after.json().status).not.toBe('cancelled');
    const timeline = (await get(ADMIN_KEY, `/api/v1/instances/${instanceId}/timeline`)).json().items as {
      type: string;
    }[];
    expect(timeline.filter((entry) => entry.type.startsWith('event.') || entry.type === 'instance.cancelled')).toEqual(
      [],
    );
    expect(timeline.length).toBeGreaterThanOrEqual(before);
  });

  it('pages a scoped list in the query: every page full, only visible instances, no repeats', async () => {
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const lead = json<CreatedLead>(
        await h.call(repA.apiKey, {
          method: 'POST',
          url: '/api/v1/leads',
          payload: {
            source: 'web',
            contactName: 'Pat Buyer',
            company: `Paged ${uniqueSuffix()}`,
            productInterest: 'erp',
          },
        }),
        201,
      );
      started.push(lead.processes[0]!.instanceId);
      // Instances rep A may not see, between rep A's own: a post-filtered page would come back short.
      await h.call(repB.apiKey, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: {
          source: 'web',
          contactName: 'Pat Buyer',
          company: `Hidden ${uniqueSuffix()}`,
          productInterest: 'erp',
        },
      });
    }
    await until(async () => {
      const rows = await h.sql('select id from process_instance where id in (?)', [started]);
      expect(rows).toHaveLength(3);
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await get(
          repA.apiKey,
          `/api/v1/instances?template=lead-assignment&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
      ).json() as { items: { id: string }[]; nextCursor: string | null };
      if (page.nextCursor) expect(page.items).toHaveLength(1);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...started, instanceId].sort());
  });

  it('lets a rep start lead assignment for their own lead only, and not order fulfilment', async () => {
    const start = (key: string, template: string, input: Record<string, unknown>) =>
      h.call(key, { method: 'POST', url: '/api/v1/instances', payload: { template, input } });
    const other = await start(repB.apiKey, 'lead-assignment', { leadId });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ type: 'https://crm-engine.dev/problems/lead-not-found' });
    expect((await start(repA.apiKey, 'order-fulfilment', { orderId: 'O-ANY' })).statusCode).toBe(403);
    expect((await start(repA.apiKey, 'lead-assignment', { leadId })).statusCode).toBe(201);
  });

  it('starts a template by the roles its startableBy names, replacing the default, and lints the names', async () => {
    const key = `e2e-startable-${uniqueSuffix()}`;
    const yaml = (roles: string) => `key: ${key}
name: Startable by warehouse
startableBy: [${roles}]
input: { type: object }
steps:
  - id: done
    end: { result: { ok: true } }
`;
    const put = (source: string) =>
      h.call(ADMIN_KEY, {
        method: 'PUT',
        url: `/api/v1/templates/${key}/draft`,
        headers: { 'content-type': 'application/yaml' },
        payload: source,
      });
    const typo = (await put(yaml('warehous'))).json();
    expect(typo.valid).toBe(false);
    expect(typo.diagnostics).toEqual([expect.objectContaining({ code: 'start.unknown-role', path: 'startableBy[0]' })]);
    expect((await put(yaml('warehouse'))).json()).toMatchObject({ valid: true });
    expect((await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/templates/${key}/publish` })).statusCode).toBe(201);
    const start = (apiKey: string) =>
      h.call(apiKey, { method: 'POST', url: '/api/v1/instances', payload: { template: key, input: {} } });
    expect((await start(repA.apiKey)).statusCode).toBe(403);
    const started = await start(warehouse.apiKey);
    expect(started.statusCode).toBe(201);
    // Its starter sees it; nobody else without a task or a record in it does.
    expect((await get(warehouse.apiKey, `/api/v1/instances/${started.json().id}`)).statusCode).toBe(200);
    expect((await get(repA.apiKey, `/api/v1/instances/${started.json().id}`)).statusCode).toBe(404);
  });
});
