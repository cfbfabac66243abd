import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import pino from 'pino';
import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { connectTemporalClient, lazyTemporalClient } from '../../../../runtime/temporal-client-connection';
import { ACTIVITY_CATALOG } from '../../../../activities';
import { InputValidator } from '../../../../api/services/input-validator';
import { TriggerDispatcher } from '../../../../api/services/trigger-dispatcher';
import { migrateDatabase, openOrm, type Orm } from '../../../../db/orm';
import { findProcessEvent, raiseProcessEvent, TemplateRegistry } from '../../../../db/repositories';
import { compileTemplate } from '../../../../dsl/compile';
import type { TriggerEvent, TriggerPayload } from '../../../../dsl/trigger-events';
import { createMailTransport } from '../../../../runtime/mailer';
import { installTemporalRuntime } from '../../../../runtime/temporal-logging';
import { startWorker, type RunningWorker } from '../../../../runtime/worker';
import { createScratchDatabase, type ScratchDatabase } from '../../../support/scratch-database';
import { testServers } from '../../../support/test-env';
import { TEMPLATE_VERSION } from '../../../../workflows/search-attributes';
import { sharedWorkflowBundle } from '../../../support/test-worker';

const suffix = randomUUID().slice(0, 8);
/** Keys no other test (or earlier run on the same Temporal server) uses: instance ids derive from them. */
const KEYS = {
  bound: `dispatch-bound-${suffix}`,
  unbound: `dispatch-unbound-${suffix}`,
  strict: `dispatch-strict-${suffix}`,
};

function templateSource(key: string, triggers: string, leadIdSchema = '{ type: string }', field = 'leadId'): string {
  return [
    `key: ${key}`,
    `name: ${key}`,
    'input:',
    '  type: object',
    `  required: [${field}]`,
    `  properties: { ${field}: ${leadIdSchema} }`,
    `businessKey: =input.${field}`,
    `triggers: ${triggers}`,
    'steps:',
    '  - { id: done, end: {} }',
    '',
  ].join('\n');
}

/**
 * The trigger outbox against real PostgreSQL and Temporal. The database is a scratch one:
 * dispatchPending takes every pending event, and on the shared database it would start other
 * test files' templates on this file's task queue.
 */
describe('TriggerDispatcher', () => {
  let scratch: ScratchDatabase;
  let orm: Orm;
  let worker: RunningWorker;
  let connection: Connection;
  let client: Client;
  const taskQueue = `test-dispatch-${suffix}`;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const dispatcher = () => new TriggerDispatcher({ orm, client, taskQueue, validator: new InputValidator(), logger });
  /** A dispatcher whose Temporal is somewhere else: down, or never answering. Its failures are expected: not logged. */
  const dispatcherReaching = (connection: Connection, options: { maxBackgroundDispatches?: number } = {}) =>
    new TriggerDispatcher({
      orm,
      client: new Client({ connection, namespace: testServers().namespace }),
      taskQueue,
      validator: new InputValidator(),
      logger: pino({ level: 'silent' }),
      ...options,
    });

  beforeAll(async () => {
    const servers = testServers();
    installTemporalRuntime(logger);
    scratch = await createScratchDatabase('trigger_dispatch');
    orm = await openOrm(scratch.url, { poolMax: 6 });
    await migrateDatabase(orm);
    const mailer = createMailTransport(servers.smtpUrl);
    worker = await startWorker({
      address: servers.temporalAddress,
      namespace: servers.namespace,
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      deps: { orm, mailer, mailFrom: 'Test <engine@test.localhost>', logger },
    });
    void worker.done.finally(() => mailer.close());
    connection = await connectTemporalClient({ address: servers.temporalAddress });
    client = new Client({ connection, namespace: servers.namespace });

    const registry = new TemplateRegistry();
    const sources = [
      templateSource(KEYS.bound, '[{ event: lead.created }]'),
      templateSource(KEYS.unbound, '[{ event: order.placed }]', '{ type: string }', 'orderId'),
      // The linter checks top-level types only; the pattern is what the dispatcher's validation refuses.
      templateSource(KEYS.strict, '[{ event: ticket.opened }]', "{ type: string, pattern: '^T-[0-9]+$' }", 'ticketId'),
    ];
    for (const source of sources) {
      const { plan, diagnostics } = compileTemplate(source, { catalog: ACTIVITY_CATALOG });
      expect(diagnostics).toEqual([]);
      await registry.publish(orm.em.fork(), plan!.key, plan!, source, 'test');
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await orm?.close();
    await scratch?.drop();
  });

  const raise = <E extends TriggerEvent>(event: E, payload: TriggerPayload<E>, dedupeKey: string) =>
    orm.em.fork().transactional((em) => raiseProcessEvent(em, event, payload, { dedupeKey, raisedBy: 'u-test' }));
  const storedEvent = async (id: string) => {
    const event = await findProcessEvent(orm.em.fork(), id);
    if (!event) throw new Error(`no event ${id}`);
    return event;
  };
  const runIdOf = async (instanceId: string) => (await client.workflow.getHandle(instanceId).describe()).runId;

  it('stores an event raised twice with the same dedupe key once', async () => {
    const leadId = `L-${randomUUID()}`;
    const [a, b] = await Promise.all([
      raise('lead.created', { leadId }, leadId),
      raise('lead.created', { leadId }, leadId),
    ]);
    const again = await raise('lead.created', { leadId }, leadId);
    expect(a.id).toBe(b.id);
    expect(again).toEqual({ id: a.id, created: false, claimed: null });
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const rows = await orm.em
      .fork()
      .execute<{ count: string }[]>(
        "select count(*) as count from process_event where event = 'lead.created' and dedupe_key = ?",
        [leadId],
      );
    expect(Number(rows[0]?.count)).toBe(1);
    expect(await dispatcher().dispatchPending()).toBe(1);
  });

  it('starts the bound template once, however often dispatch runs, and not the templates bound to other events', async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    const first = dispatcher();
    expect(await first.dispatchPending()).toBe(1);
    expect(await first.dispatchPending()).toBe(0);
    const event = await storedEvent(id);
    expect(event).toMatchObject({ attempts: 1, lastError: null, instances: [{ templateKey: KEYS.bound, instanceId }] });
    expect(event.dispatchedAt).toBeInstanceOf(Date);
    await client.workflow.getHandle(instanceId).result();
    const runId = await runIdOf(instanceId);

    // Even an event dispatched again (say its commit was lost) joins the instance it started.
    await orm.em.fork().execute('update process_event set dispatched_at = null where id = ?', [id]);
    expect(await dispatcher().dispatchEvent(id)).toEqual([{ templateKey: KEYS.bound, instanceId }]);
    expect(await runIdOf(instanceId)).toBe(runId);
    expect((await storedEvent(id)).attempts).toBe(2);

    await expect(client.workflow.getHandle(`${KEYS.unbound}-lead.created-${leadId}`).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    await expect(client.workflow.getHandle(`${KEYS.strict}-lead.created-${leadId}`).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('starts an instance once when two dispatchers run at the same time', async () => {
    const leadIds = [`L-${randomUUID()}`, `L-${randomUUID()}`, `L-${randomUUID()}`];
    const events = [];
    for (const leadId of leadIds) events.push(await raise('lead.created', { leadId }, leadId));
    const counts = await Promise.all([dispatcher().dispatchPending(), dispatcher().dispatchPending()]);
    expect(counts[0]! + counts[1]!).toBe(3);
    for (const [i, leadId] of leadIds.entries()) {
      const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
      expect(await storedEvent(events[i]!.id)).toMatchObject({
        attempts: 1,
        lastError: null,
        instances: [{ templateKey: KEYS.bound, instanceId }],
      });
      expect((await client.workflow.getHandle(instanceId).describe()).runId).toBeTruthy();
    }
  });

  it("answers a request with the instances another process's round is starting, instead of none", async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    // Another process's round: it holds the event's row lock while it starts the instance.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const otherRound = orm.em.fork().transactional(async (em) => {
      await em.execute('select id from process_event where id = ? for update', [id]);
      locked();
      await held;
      await em.execute(
        `update process_event set dispatched_at = now(), attempts = attempts + 1, instances = ?::jsonb where id = ?`,
        [JSON.stringify([{ templateKey: KEYS.bound, instanceId }]), id],
      );
    });
    await lockTaken;
    const request = dispatcher().dispatchEvent(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await otherRound;
    expect(await request).toEqual([{ templateKey: KEYS.bound, instanceId }]);
    expect((await storedEvent(id)).attempts).toBe(1);
  });

  it('records a payload the input schema refuses and goes on with the next event', async () => {
    const bad = await raise('ticket.opened', { ticketId: `bad-${suffix}` }, `bad-${suffix}`);
    const goodTicket = `T-${Date.now()}`;
    const good = await raise('ticket.opened', { ticketId: goodTicket }, goodTicket);
    expect(await dispatcher().dispatchPending()).toBe(2);

    const refused = await storedEvent(bad.id);
    expect(refused).toMatchObject({ attempts: 1, instances: [] });
    expect(refused.dispatchedAt).toBeInstanceOf(Date);
    expect(refused.lastError).toMatch(new RegExp(`^${KEYS.strict}@1: .*/body/input/ticketId must match pattern`));
    await expect(
      client.workflow.getHandle(`${KEYS.strict}-ticket.opened-bad-${suffix}`).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const instanceId = `${KEYS.strict}-ticket.opened-${goodTicket}`;
    expect(await storedEvent(good.id)).toMatchObject({
      attempts: 1,
      lastError: null,
      instances: [{ templateKey: KEYS.strict, instanceId }],
    });
    await client.workflow.getHandle(instanceId).result();
  });

  it('keeps an event pending while Temporal cannot be reached, and starts it once Temporal answers', async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    // Nothing listens on port 1: every start fails as it would during an outage.
    const deadConnection = lazyTemporalClient({ address: '127.0.0.1:1', connectTimeout: '1s', retry: false }); // no gRPC retries
    const offline = dispatcherReaching(deadConnection);
    expect(await offline.dispatchPending()).toBe(0);
    const pending = await storedEvent(id);
    expect(pending).toMatchObject({ attempts: 1, dispatchedAt: null, instances: [] });
    expect(pending.lastError).toBeTruthy();
    await deadConnection.close().catch(() => undefined);

    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    expect(await dispatcher().dispatchPending()).toBe(1);
    expect(await storedEvent(id)).toMatchObject({ attempts: 2, instances: [{ templateKey: KEYS.bound, instanceId }] });
    await client.workflow.getHandle(instanceId).result();
  });
  it('starts the version published since its last event, though it keeps plans between events', async () => {
    const key = `dispatch-versioned-${suffix}`;
    const publish = async (source: string) => {
      const { plan, diagnostics } = compileTemplate(source, { catalog: ACTIVITY_CATALOG });
      expect(diagnostics).toEqual([]);
      return new TemplateRegistry().publish(orm.em.fork(), key, plan!, source, 'test');
    };
    const source = templateSource(key, '[{ event: order.placed }]', '{ type: string }', 'orderId');
    expect((await publish(source)).version).toBe(1);
    const cached = dispatcher();
    const versionStarted = async (orderId: string) => {
      const { id } = await raise('order.placed', { orderId }, orderId);
      const started = await cached.dispatchEvent(id);
      const instanceId = `${key}-order.placed-${orderId}`;
      expect(started).toContainEqual({ templateKey: key, instanceId });
      return (await client.workflow.getHandle(instanceId).describe()).typedSearchAttributes.get(TEMPLATE_VERSION);
    };
    expect(await versionStarted(`O-${randomUUID()}`)).toBe(1);
    expect((await publish(`${source}# version 2\n`)).version).toBe(2);
    expect(await versionStarted(`O-${randomUUID()}`)).toBe(2);
  });
  it("starts a request's event from the claim its insert took: no claim of its own, none for a round, the versions it read", async () => {
    const leadId = `L-${randomUUID()}`;
    const raiseClaimed = (queue: { taskQueue?: string } = { taskQueue }) =>
      orm.em
        .fork()
        .transactional((em) =>
          raiseProcessEvent(
            em,
            'lead.created',
            { leadId },
            { dedupeKey: leadId, raisedBy: 'u-test', claimForDispatch: true, ...queue },
          ),
        );
    const raised = await raiseClaimed();
    expect(raised.created).toBe(true);
    expect(raised.claimed).toMatchObject({
      id: raised.id,
      event: 'lead.created',
      dedupeKey: leadId,
      payload: { leadId },
    });
    const versions = await new TemplateRegistry().latestVersions(orm.em.fork());
    expect(versions.get(KEYS.bound)).toBeGreaterThanOrEqual(1);
    expect(raised.claimed?.newestVersions).toEqual(versions);
    const stored = await storedEvent(raised.id);
    expect(stored.attempts).toBe(1);
    expect(stored.claimedUntil!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // The request's claim holds: a poller's round leaves the event to it.
    await dispatcher().dispatchPending();
    expect((await storedEvent(raised.id)).dispatchedAt).toBeNull();

    const background = dispatcher();
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    expect(await background.dispatchInBackground(raised.id, raised.claimed)).toEqual({
      processes: [{ templateKey: KEYS.bound, instanceId }],
      pending: true,
    });
    expect(await background.waitForStart({ instanceId })).toBe(true);
    expect(await storedEvent(raised.id)).toMatchObject({
      attempts: 1,
      claimedUntil: null,
      instances: [{ templateKey: KEYS.bound, instanceId }],
    });
    await client.workflow.getHandle(instanceId).result();
    // Raised again (a retried transaction): the first event, and no claim on it.
    expect(await raiseClaimed()).toEqual({ id: raised.id, created: false, claimed: null });
    // A claim handed in beside another event's id is a mistake of the caller, not a start.
    await expect(background.dispatchInBackground('evt-other', raised.claimed)).rejects.toThrow(/is not evt-other/);
    await expect(raiseClaimed({})).rejects.toThrow(/taskQueue/);
  });
  it('answers a request with the instances it will start before they start, and starts them after the answer', async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    const background = dispatcher();
    const answer = await background.dispatchInBackground(id);
    expect(answer).toEqual({ processes: [{ templateKey: KEYS.bound, instanceId }], pending: true });
    // Readers of the instance, or of its business key, can wait for exactly this start.
    const waited = await Promise.all([
      background.waitForStart({ instanceId }),
      background.waitForStart({ businessKey: leadId }),
      background.waitForStart({ instanceId: `${instanceId}-other` }),
    ]);
    expect(waited).toEqual([true, true, false]);
    expect(await background.waitForStart({ instanceId })).toBe(false); // landed: nothing in flight
    expect(await storedEvent(id)).toMatchObject({
      attempts: 1,
      claimedUntil: null,
      instances: [{ templateKey: KEYS.bound, instanceId }],
    });
    // The row is written right after Temporal accepts the start, before the wait ends.
    const rows = await orm.em
      .fork()
      .execute<{ business_key: string }[]>('select business_key from process_instance where id = ?', [instanceId]);
    expect(rows).toEqual([{ business_key: leadId }]);
    await client.workflow.getHandle(instanceId).result();
    // A replayed request: the event is dispatched, so the answer is what was recorded, not pending.
    expect(await background.dispatchInBackground(id)).toEqual({
      processes: [{ templateKey: KEYS.bound, instanceId }],
      pending: false,
    });
    expect((await storedEvent(id)).attempts).toBe(1);
    // Stopped and used again (an app closed and built anew around it), it still starts events.
    await background.stop();
    const laterLead = `L-${randomUUID()}`;
    const later = await raise('lead.created', { leadId: laterLead }, laterLead);
    const laterInstance = `${KEYS.bound}-lead.created-${laterLead}`;
    expect((await background.dispatchInBackground(later.id)).pending).toBe(true);
    expect(await background.waitForStart({ instanceId: laterInstance })).toBe(true);
    expect(await storedEvent(later.id)).toMatchObject({
      instances: [{ templateKey: KEYS.bound, instanceId: laterInstance }],
    });
  });

  it('leaves an event whose background start Temporal refused to the poller, which starts the same instance', async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    const deadConnection = lazyTemporalClient({ address: '127.0.0.1:1', connectTimeout: '1s', retry: false });
    const offline = dispatcherReaching(deadConnection);
    expect(await offline.dispatchInBackground(id)).toEqual({
      processes: [{ templateKey: KEYS.bound, instanceId }],
      pending: true,
    });
    expect(await offline.waitForStart({ instanceId })).toBe(true);
    const released = await storedEvent(id);
    expect(released).toMatchObject({ attempts: 1, dispatchedAt: null, claimedUntil: null, instances: [] });
    expect(released.lastError).toBeTruthy();
    await deadConnection.close().catch(() => undefined);

    expect(await dispatcher().dispatchPending()).toBe(1);
    expect(await storedEvent(id)).toMatchObject({ attempts: 2, instances: [{ templateKey: KEYS.bound, instanceId }] });
    await client.workflow.getHandle(instanceId).result();
  });

  it('bounds a hung start: a reader and stop wait at most their limits, a request beyond the in-memory limit goes to the poller', async () => {
    // A "Temporal" that accepts connections and never answers: the start neither lands nor fails.
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => accepted.add(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const hanging = lazyTemporalClient({
      address: `127.0.0.1:${(silent.address() as AddressInfo).port}`,
      connectTimeout: '60s',
      retry: false,
    });
    // One background dispatch at most: the hung one is it.
    const stuck = dispatcherReaching(hanging, { maxBackgroundDispatches: 1 });
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    try {
      expect((await stuck.dispatchInBackground(id)).pending).toBe(true);
      // A second request's event beyond the bound is named but left to the poller, not held in memory.
      const secondLead = `L-${randomUUID()}`;
      const second = await raise('lead.created', { leadId: secondLead }, secondLead);
      expect(await stuck.dispatchInBackground(second.id)).toEqual({
        processes: [{ templateKey: KEYS.bound, instanceId: `${KEYS.bound}-lead.created-${secondLead}` }],
        pending: true,
      });
      expect(await stuck.waitForStart({ businessKey: secondLead })).toBe(false);
      expect(await storedEvent(second.id)).toMatchObject({ dispatchedAt: null, claimedUntil: null, attempts: 1 });
      expect(await dispatcher().dispatchPending()).toBe(1); // the poller: the second only, the first is claimed
      // The reader gets its answer after the bound (the test's timeout would catch a hang)...
      const t0 = performance.now();
      expect(await stuck.waitForStart({ instanceId })).toBe(true);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(4_900);
      // ...and so does stop, which cancels the hung start: its event is given back, with why.
      await stuck.stop();
      const released = await storedEvent(id);
      expect(released).toMatchObject({ dispatchedAt: null, claimedUntil: null, attempts: 1 });
      expect(released.lastError).toBeTruthy();
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
      await hanging.close().catch(() => undefined);
    }
    // The next dispatch starts the same instance.
    expect(await dispatcher().dispatchEvent(id)).toEqual([{ templateKey: KEYS.bound, instanceId }]);
  }, 30_000);

  it('names no instance for a payload every bound template refuses, and records why', async () => {
    const ticketId = `bad-bg-${suffix}`;
    const { id } = await raise('ticket.opened', { ticketId }, ticketId);
    const background = dispatcher();
    expect(await background.dispatchInBackground(id)).toEqual({ processes: [], pending: false });
    await background.stop(); // waits for its background dispatches
    const refused = await storedEvent(id);
    expect(refused.dispatchedAt).toBeInstanceOf(Date);
    expect(refused.lastError).toMatch(new RegExp(`^${KEYS.strict}@1: .*ticketId must match pattern`));
  });

  it("starts a request's event itself while another round's claim on it is still running, and rounds skip it", async () => {
    const leadId = `L-${randomUUID()}`;
    const { id } = await raise('lead.created', { leadId }, leadId);
    // Another round claimed it (committed) and is still starting it, or died doing so.
    await orm.em
      .fork()
      .execute(`update process_event set claimed_until = now() + interval '1 minute' where id = ?`, [id]);
    expect(await dispatcher().dispatchPending()).toBe(0);
    const instanceId = `${KEYS.bound}-lead.created-${leadId}`;
    expect(await dispatcher().dispatchEvent(id)).toEqual([{ templateKey: KEYS.bound, instanceId }]);
    expect(await storedEvent(id)).toMatchObject({
      claimedUntil: null,
      instances: [{ templateKey: KEYS.bound, instanceId }],
    });
  });
});
