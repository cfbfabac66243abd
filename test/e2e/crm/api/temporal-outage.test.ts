import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Client, type Connection } from '@temporalio/client';
import { lazyTemporalClient } from '../../../../runtime/temporal-client-connection';
import { ACTIVITY_CATALOG } from '../../../../activities';
import { buildApp } from '../../../../api/app';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { TemplateRegistry } from '../../../../db/repositories';
import { seedEngineUsers } from '../../../../db/seed/engine-users';
import { compileTemplate } from '../../../../dsl/compile';
import { createReadinessChecks } from '../../../../runtime/readiness-checks';
import { eventually } from '../../../support/eventually';
import { createScratchDatabase, type ScratchDatabase } from '../../../support/scratch-database';
import { TEST_AUTH, TEST_AUTH_SECRET } from '../../../support/test-auth';

const TEMPLATE = [
  'key: outage-lead',
  'name: Outage lead',
  'input:',
  '  type: object',
  '  required: [leadId]',
  '  properties: { leadId: { type: string } }',
  'triggers: [{ event: lead.created }]',
  'steps:',
  '  - { id: done, end: {} }',
  '',
].join('\n');

/**
 * Temporal down while a lead is created: the lead and its event are kept, the answer names the
 * instance that will start and says its start is pending.
 */
describe('creating a CRM record while Temporal is unreachable', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;
  let app: FastifyInstance;
  let connection: Connection;
  beforeAll(async () => {
    scratch = await createScratchDatabase('temporal_outage');
    orm = await openOrm(scratch.url, { poolMax: 4 });
    await migrateDatabase(orm);
    await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
    const { plan } = compileTemplate(TEMPLATE, { catalog: ACTIVITY_CATALOG });
    await new TemplateRegistry().publish(orm.em.fork(), plan!.key, plan!, TEMPLATE, 'test');
    // Nothing listens on port 1; no gRPC retries, so the test does not wait out the client's backoff.
    connection = lazyTemporalClient({ address: '127.0.0.1:1', connectTimeout: '1s', retry: false });
    const client = new Client({ connection });
    app = await buildApp({
      readiness: createReadinessChecks(orm, connection as never, 'default'),
      engine: {
        orm,
        client,
        taskQueue: `outage-${randomUUID()}`,
        catalog: ACTIVITY_CATALOG,
        triggerPollMs: 0,
        auth: TEST_AUTH,
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await connection.close().catch(() => undefined);
    await orm.close();
    await scratch.drop();
  });

  it('stores the lead and its pending lead.created event, and answers 201 naming the pending instance', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: { 'x-api-key': 'demo-admin-key' },
      payload: { source: 'web', company: `Outage Co ${randomUUID().slice(0, 8)}`, contactName: 'Zhao' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      processes: [{ templateKey: 'outage-lead', instanceId: `outage-lead-lead.created-${body.lead.id}` }],
      triggerPending: true,
    });
    // The start is tried after the answer; it fails, and the event waits for the poller with why.
    const events = await eventually(async () => {
      const rows = await orm.em
        .fork()
        .execute<{ dispatched_at: Date | null; attempts: number; last_error: string | null; payload: unknown }[]>(
          "select dispatched_at, attempts, last_error, payload from process_event where event = 'lead.created' and dedupe_key = ?",
          [body.lead.id],
        );
      return rows[0]?.last_error ? rows : undefined;
    }, 'the failed start recorded on the event');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ dispatched_at: null, attempts: 1, payload: { leadId: body.lead.id } });
    expect(events[0]!.last_error).toBeTruthy();
    expect(await orm.em.fork().execute('select id from leads where id = ?', [body.lead.id])).toHaveLength(1);
  });
});
