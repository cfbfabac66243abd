import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TimelineEntry } from '../../../../contracts/engine';
import { InstanceRow } from '../../../../db/entities';
import { InstanceRepository } from '../../../../db/repositories';
import { countRows, openEngineTestKit, projectionParams, type EngineTestKit } from '../../../support/engine-test-kit';

const entry = (seq: number, type: TimelineEntry['type'] = 'step.started'): TimelineEntry => ({
  seq,
  at: new Date(Date.UTC(2026, 0, 1, 10, 0, seq)).toISOString(),
  type,
  stepId: `s${seq}`,
  path: `steps[${seq}]`,
  detail: { n: seq },
});

/** engine.projectInstance against the real PostgreSQL: idempotent, and order-proof under late retries. */
describe('engine.projectInstance', () => {
  let kit: EngineTestKit;
  const instances = new InstanceRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  const project = (params: Parameters<EngineTestKit['activities']['engine.projectInstance']>[0]) =>
    kit.run(kit.activities['engine.projectInstance'], params);
  const stored = (id: string) => kit.em().findOneOrFail(InstanceRow, { id });

  it('writes one row and each timeline entry once however often it runs, even concurrently', async () => {
    const params = projectionParams({ currentSteps: ['s1'], timeline: [entry(0, 'instance.started'), entry(1)] });
    const results = await Promise.all([project(params), project(params), project(params)]);
    const again = await project(params);

    expect(results.reduce((sum, r) => sum + r.timelineAdded, 0)).toBe(2);
    expect(again).toEqual({ applied: true, status: 'running', timelineAdded: 0 });
    expect(await countRows(kit.em(), 'process_instance where id = ?', [params.instanceId])).toBe(1);
    expect(await instances.timeline(kit.em(), params.instanceId)).toEqual([
      {
        seq: 0,
        at: '2026-01-01T10:00:00.000Z',
        type: 'instance.started',
        stepId: 's0',
        path: 'steps[0]',
        detail: { n: 0 },
      },
      {
        seq: 1,
        at: '2026-01-01T10:00:01.000Z',
        type: 'step.started',
        stepId: 's1',
        path: 'steps[1]',
        detail: { n: 1 },
      },
    ]);
    expect(await stored(params.instanceId)).toMatchObject({ status: 'running', currentSteps: ['s1'], projectedSeq: 1 });
  });

  it('keeps the newer snapshot when an older projection is retried late', async () => {
    const first = projectionParams({ currentSteps: ['a'], timeline: [entry(0), entry(1)] });
    const second = { ...first, currentSteps: ['b'], timeline: [entry(2), entry(3)] };
    await project(first);
    await project(second);
    const late = await project(first);

    expect(late).toEqual({ applied: false, status: 'running', timelineAdded: 0 });
    expect(await stored(first.instanceId)).toMatchObject({ currentSteps: ['b'], projectedSeq: 3 });
    expect((await instances.timeline(kit.em(), first.instanceId)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it('never moves a finished instance back to running, but still records late timeline entries', async () => {
    const running = projectionParams({ currentSteps: ['a'], timeline: [entry(0, 'instance.started')] });
    const completed = {
      ...running,
      status: 'completed' as const,
      endedAt: '2026-01-01T11:00:00.000Z',
      currentSteps: [],
      result: { approved: true },
      timeline: [entry(1, 'instance.completed')],
    };
    await project(running);
    expect(await project(completed)).toMatchObject({ applied: true, status: 'completed' });
    // A retry of the first projection, and a (stray) running snapshot that claims a newer seq.
    expect(await project(running)).toMatchObject({ applied: false, status: 'completed' });
    expect(await project({ ...running, currentSteps: ['z'], timeline: [entry(7)] })).toEqual({
      applied: false,
      status: 'completed',
      timelineAdded: 1,
    });

    expect(await stored(running.instanceId)).toMatchObject({
      status: 'completed',
      currentSteps: [],
      result: { approved: true },
      endedAt: new Date('2026-01-01T11:00:00.000Z'),
    });
  });

  it('takes a terminal snapshot that carries no timeline entries', async () => {
    const running = projectionParams({ timeline: [entry(0), entry(1), entry(2)] });
    await project(running);
    const failed = await project({
      ...running,
      status: 'failed',
      endedAt: '2026-01-01T12:00:00.000Z',
      error: { code: 'quote.rejected', message: 'no' },
      timeline: [],
    });
    expect(failed).toEqual({ applied: true, status: 'failed', timelineAdded: 0 });
    expect(await stored(running.instanceId)).toMatchObject({
      status: 'failed',
      error: { code: 'quote.rejected', message: 'no' },
      projectedSeq: 2,
    });
  });

  it('ends at the newest snapshot whatever order concurrent projections arrive in', async () => {
    const base = projectionParams({ businessKey: 'order-1' });
    const snapshots = Array.from({ length: 12 }, (_, i) => ({
      ...base,
      currentSteps: [`s${i}`],
      status: i === 11 ? ('completed' as const) : ('running' as const),
      endedAt: i === 11 ? '2026-01-02T00:00:00.000Z' : null,
      timeline: [entry(2 * i), entry(2 * i + 1)],
    }));
    const shuffled = [...snapshots].sort(() => Math.random() - 0.5);
    await Promise.all(shuffled.map((snapshot) => project(snapshot)));
    await Promise.all(shuffled.slice(0, 4).map((snapshot) => project(snapshot)));

    expect(await stored(base.instanceId)).toMatchObject({
      status: 'completed',
      currentSteps: ['s11'],
      projectedSeq: 23,
      businessKey: 'order-1',
    });
    expect(await countRows(kit.em(), 'timeline_entry where instance_id = ?', [base.instanceId])).toBe(24);
  });

  describe('following the run that runs', () => {
    const now = new Date('2026-01-01T12:00:00.000Z');
    const projectAs = (runId: string, params: Parameters<typeof project>[0]) =>
      instances.project(kit.em(), params, now, runId);

    it('a new run (a reset) reopens a failed instance, clears its incidents and continues its timeline', async () => {
      const started = projectionParams({ currentSteps: ['a'], timeline: [entry(0, 'instance.started'), entry(1)] });
      await projectAs('run-1', started);
      const failed = {
        ...started,
        status: 'failed' as const,
        endedAt: '2026-01-01T11:00:00.000Z',
        currentSteps: [],
        error: { code: 'mail.failed', message: 'relay down' },
        timeline: [entry(2, 'step.failed'), entry(3, 'instance.failed')],
      };
      await projectAs('run-1', failed);
      await kit.em().execute(
        `insert into process_incident (instance_id, activity_id, activity_type, attempt, message, first_failed_at, last_failed_at)
           values (?, '5', 'mail.send', 3, 'relay down', now(), now())`,
        [started.instanceId],
      );

      // The reset run replays up to before the failure: its next positions are 2 and 3 again.
      const reset = await projectAs('run-2', { ...started, currentSteps: ['b'], timeline: [entry(2), entry(3)] });
      expect(reset).toEqual({ applied: true, status: 'running', timelineAdded: 2 });
      expect(await stored(started.instanceId)).toMatchObject({
        status: 'running',
        error: null,
        endedAt: null,
        currentSteps: ['b'],
        runId: 'run-2',
        supersededRunIds: ['run-1'],
        timelineOffset: 2,
      });
      expect(await countRows(kit.em(), 'process_incident where instance_id = ?', [started.instanceId])).toBe(0);

      const completed = await projectAs('run-2', {
        ...started,
        status: 'completed',
        endedAt: '2026-01-01T13:00:00.000Z',
        currentSteps: [],
        timeline: [entry(4, 'instance.completed')],
      });
      expect(completed).toEqual({ applied: true, status: 'completed', timelineAdded: 1 });
      const timeline = await instances.timeline(kit.em(), started.instanceId);
      expect(timeline.map((e) => [e.seq, e.type])).toEqual([
        [0, 'instance.started'],
        [1, 'step.started'],
        [2, 'step.failed'],
        [3, 'instance.failed'],
        [4, 'step.started'],
        [5, 'step.started'],
        [6, 'instance.completed'],
      ]);
    });

    it('ignores a late write of the run a reset replaced', async () => {
      const base = projectionParams({ currentSteps: ['a'], timeline: [entry(0, 'instance.started')] });
      await projectAs('old', base);
      await projectAs('new', { ...base, currentSteps: ['b'], timeline: [entry(1)] });
      const late = await projectAs('old', {
        ...base,
        status: 'failed',
        endedAt: '2026-01-01T11:00:00.000Z',
        error: { code: 'x', message: 'late' },
        timeline: [entry(1, 'instance.failed')],
      });

      expect(late).toEqual({ applied: false, status: 'running', timelineAdded: 0 });
      expect(await stored(base.instanceId)).toMatchObject({ status: 'running', currentSteps: ['b'], runId: 'new' });
      expect((await instances.timeline(kit.em(), base.instanceId)).map((e) => e.type)).toEqual([
        'instance.started',
        'step.started',
      ]);
    });

    it('a continue-as-new run carries the timeline on without a gap', async () => {
      const base = projectionParams({ currentSteps: ['loop'], timeline: [entry(0), entry(1, 'continued-as-new')] });
      await projectAs('first', base);
      await projectAs('second', { ...base, timeline: [entry(2), entry(3)] });

      expect(await stored(base.instanceId)).toMatchObject({ runId: 'second', timelineOffset: 0, status: 'running' });
      expect((await instances.timeline(kit.em(), base.instanceId)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    });
  });
});
