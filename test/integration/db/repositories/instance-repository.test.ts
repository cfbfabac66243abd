import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InstanceRow as InstanceRowEntity, type InstanceRow } from '../../../../db/entities';
import { InstanceRepository, InvalidCursorError, type InstanceFilters } from '../../../../db/repositories';
import type { InstanceStatus } from '../../../../contracts/engine';
import { openEngineTestKit, projectionParams, unique, type EngineTestKit } from '../../../support/engine-test-kit';

/** Listing instances: filters, and keyset pages that return every row exactly once. */
describe('InstanceRepository', () => {
  let kit: EngineTestKit;
  const instances = new InstanceRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  async function allPages(filters: InstanceFilters): Promise<InstanceRow[]> {
    const seen: InstanceRow[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await instances.list(kit.em(), { ...filters, ...(cursor ? { cursor } : {}) });
      expect(result.items.length).toBeLessThanOrEqual(filters.limit ?? 50);
      seen.push(...result.items);
      if (!result.nextCursor) return seen;
      cursor = result.nextCursor;
    }
    throw new Error('pagination did not end');
  }

  /** 23 instances of one fresh template; several share a start time, so the id breaks ties. */
  async function seedInstances(templateKey: string) {
    const statuses: InstanceStatus[] = ['running', 'completed', 'failed', 'cancelled'];
    const params = Array.from({ length: 23 }, (_, i) =>
      projectionParams({
        instanceId: `${templateKey}-${String(i).padStart(2, '0')}`,
        templateKey,
        businessKey: `order-${i % 5}`,
        status: statuses[i % 4]!,
        startedAt: new Date(Date.UTC(2026, 2, 1 + Math.floor(i / 3))).toISOString(),
      }),
    );
    for (const p of params) await kit.run(kit.activities['engine.projectInstance'], p);
    return params;
  }

  it('pages through every instance exactly once, newest first', async () => {
    const templateKey = unique('paging');
    const params = await seedInstances(templateKey);
    const listed = await allPages({ templateKey, limit: 5 });

    expect(listed.map((i) => i.id)).toHaveLength(23);
    expect(new Set(listed.map((i) => i.id)).size).toBe(23);
    const expected = [...params].sort(
      (a, b) => b.startedAt.localeCompare(a.startedAt) || b.instanceId.localeCompare(a.instanceId),
    );
    expect(listed.map((i) => i.id)).toEqual(expected.map((p) => p.instanceId));
    expect(await allPages({ templateKey, limit: 23 })).toHaveLength(23);
    expect((await instances.list(kit.em(), { templateKey, limit: 23 })).nextCursor).toBeNull();
  });

  it('keeps rows apart whose start times differ below a millisecond', async () => {
    const templateKey = unique('micro');
    for (let i = 0; i < 7; i += 1) {
      await kit.em().execute(
        `insert into process_instance (id, template_key, version, status, started_at, current_steps, updated_at)
         values (?, ?, 1, 'running', ?::timestamptz, '[]', now())`,
        [`${templateKey}-${i}`, templateKey, `2026-04-01 10:00:00.000${i}00+00`],
      );
    }
    const listed = await allPages({ templateKey, limit: 2 });
    expect(listed.map((i) => i.id)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `${templateKey}-${i}`));
  });

  it('filters by status, business key and start time, also across pages', async () => {
    const templateKey = unique('filters');
    const params = await seedInstances(templateKey);
    const ids = (list: InstanceRow[]) => list.map((i) => i.id).sort();
    const expectIds = (predicate: (p: (typeof params)[number]) => boolean) =>
      params
        .filter(predicate)
        .map((p) => p.instanceId)
        .sort();

    expect(ids(await allPages({ templateKey, status: 'completed', limit: 2 }))).toEqual(
      expectIds((p) => p.status === 'completed'),
    );
    expect(ids(await allPages({ templateKey, status: ['failed', 'cancelled'], limit: 3 }))).toEqual(
      expectIds((p) => p.status === 'failed' || p.status === 'cancelled'),
    );
    expect(ids(await allPages({ templateKey, businessKey: 'order-2' }))).toEqual(
      expectIds((p) => p.businessKey === 'order-2'),
    );
    const from = '2026-03-03T00:00:00.000Z';
    const to = new Date('2026-03-06T00:00:00.000Z');
    expect(ids(await allPages({ templateKey, startedFrom: from, startedTo: to, limit: 4 }))).toEqual(
      expectIds((p) => p.startedAt >= from && p.startedAt < to.toISOString()),
    );
    expect((await instances.list(kit.em(), { templateKey, status: [] })).items).toEqual([]);
  });

  it('gets one instance and its timeline in order', async () => {
    const params = projectionParams({
      timeline: [
        { seq: 1, at: '2026-01-01T10:00:01.000Z', type: 'step.started', stepId: 'assign', path: 'steps[0]' },
        { seq: 0, at: '2026-01-01T10:00:00.000Z', type: 'instance.started' },
      ],
    });
    await kit.run(kit.activities['engine.projectInstance'], params);
    expect(await instances.get(kit.em(), params.instanceId)).toMatchObject({
      id: params.instanceId,
      templateKey: 'test-template',
      version: 1,
    });
    expect(await instances.get(kit.em(), unique('missing'))).toBeNull();
    expect(await instances.timeline(kit.em(), params.instanceId)).toEqual([
      { seq: 0, at: '2026-01-01T10:00:00.000Z', type: 'instance.started' },
      { seq: 1, at: '2026-01-01T10:00:01.000Z', type: 'step.started', stepId: 'assign', path: 'steps[0]' },
    ]);
  });

  it('reads list pages without the unit of work, each instance as the ORM would load it', async () => {
    const templateKey = unique('read-only');
    await seedInstances(templateKey);
    const listed = await allPages({ templateKey });
    expect(listed).toHaveLength(23);
    for (const row of listed) {
      expect(row.startedAt).toBeInstanceOf(Date);
      expect({ ...row }).toEqual({ ...(await kit.em().findOne(InstanceRowEntity, { id: row.id })) });
    }
  });

  it('rejects a cursor it did not issue', async () => {
    for (const cursor of [
      'not-base64!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["yesterday","x"]').toString('base64url'),
    ]) {
      await expect(instances.list(kit.em(), { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});
