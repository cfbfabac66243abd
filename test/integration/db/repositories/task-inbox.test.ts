import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenTaskParams } from '../../../../contracts/engine';
import type { Json } from '../../../../dsl/plan';
import { TaskRepository, type InboxUser, type TaskFilters } from '../../../../db/repositories';
import { openEngineTestKit, openTaskParams, unique, type EngineTestKit } from '../../../support/engine-test-kit';

/** Who sees which task: assignment, candidate users, candidate role narrowed by attributes. */
describe('TaskRepository.inbox', () => {
  let kit: EngineTestKit;
  const tasks = new TaskRepository();
  const templateKey = unique('inbox');
  const role = unique('approver');
  const otherRole = unique('auditor');
  const me: InboxUser = {
    id: unique('u-me'),
    roles: [role, 'designer'],
    attributes: { region: 'EU', productLines: ['cloud', 'crm'] },
  };
  const someoneElse = unique('u-else');
  const ids: Record<string, string> = {};

  const candidates = (roleName: string | null, users: string[] = [], where: Record<string, Json> = {}) => ({
    role: roleName,
    users,
    where,
  });
  const cases: Record<string, Partial<OpenTaskParams>> = {
    assignedToMe: { assignee: me.id },
    assignedToOther: { assignee: someoneElse },
    myRole: { candidates: candidates(role) },
    myRoleOtherRegion: { candidates: candidates(role, [], { region: 'US' }) },
    myRoleMyProductLine: { candidates: candidates(role, [], { productLines: 'crm' }) },
    myRoleAnyRegion: { candidates: candidates(role, [], { region: ['US', 'EU'] }) },
    myRoleMissingAttribute: { candidates: candidates(role, [], { skills: 'german' }) },
    namedCandidate: { candidates: candidates(null, [me.id]) },
    otherRole: { candidates: candidates(otherRole) },
    myRoleButClaimed: { candidates: candidates(role), assignee: someoneElse },
    myRoleCancelled: { candidates: candidates(role) },
    assignedToMeDone: { assignee: me.id, dueAt: null },
    completedByMe: { candidates: candidates(null, [me.id]) },
  };
  const visible = [
    'assignedToMe',
    'myRole',
    'myRoleMyProductLine',
    'myRoleAnyRegion',
    'namedCandidate',
    'assignedToMeDone',
    'completedByMe',
  ];

  beforeAll(async () => {
    kit = await openEngineTestKit();
    for (const [name, overrides] of Object.entries(cases)) {
      const params = openTaskParams({ templateKey, title: name, ...overrides });
      ids[name] = params.taskId;
      await kit.run(kit.activities['engine.openTask'], params);
    }
    const update = kit.activities['engine.updateTask'];
    await kit.run(update, {
      taskId: ids.myRoleCancelled!,
      eventKey: 'cancel',
      at: new Date().toISOString(),
      change: { type: 'cancelled', reason: 'test' },
    });
    const complete = kit.activities['engine.completeTask'];
    for (const [name, by] of [
      ['assignedToMeDone', me.id],
      ['completedByMe', me.id],
    ] as const) {
      await kit.run(complete, {
        taskId: ids[name]!,
        outcome: 'approve',
        form: {},
        comment: null,
        completedBy: by,
        completedAt: new Date().toISOString(),
      });
    }
  });
  afterAll(async () => {
    await kit.close();
  });

  async function inboxTitles(user: InboxUser, filters: TaskFilters = {}): Promise<string[]> {
    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.inbox(kit.em(), user, {
        templateKey,
        limit: 2,
        ...filters,
        ...(cursor ? { cursor } : {}),
      });
      titles.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return titles.sort();
  }

  it('shows my tasks, open unassigned tasks I am a candidate for, and what I completed; each once across pages', async () => {
    expect(await inboxTitles(me)).toEqual([...visible].sort());
  });

  it('narrows by status, assignee, candidate role and due date', async () => {
    expect(await inboxTitles(me, { status: 'open' })).toEqual(
      ['assignedToMe', 'myRole', 'myRoleMyProductLine', 'myRoleAnyRegion', 'namedCandidate'].sort(),
    );
    expect(await inboxTitles(me, { status: 'completed' })).toEqual(['assignedToMeDone', 'completedByMe']);
    expect(await inboxTitles(me, { assignee: me.id })).toEqual(['assignedToMe', 'assignedToMeDone']);
    expect(await inboxTitles(me, { assignee: null, status: 'open' })).toEqual(
      ['myRole', 'myRoleMyProductLine', 'myRoleAnyRegion', 'namedCandidate'].sort(),
    );
    expect(await inboxTitles(me, { candidateRole: role })).toEqual([
      'myRole',
      'myRoleAnyRegion',
      'myRoleMyProductLine',
    ]);
    expect(await inboxTitles(me, { dueBefore: '2030-06-01T00:00:00.000Z' })).toEqual(
      [...visible].filter((t) => t !== 'assignedToMeDone').sort(),
    );
    expect(await inboxTitles(me, { dueBefore: new Date('2029-01-01T00:00:00.000Z') })).toEqual([]);
    expect(await inboxTitles(me, { templateKey: unique('other-template') })).toEqual([]);
  });

  it('shows a user without roles only what is theirs by name', async () => {
    expect(await inboxTitles({ id: me.id, roles: [], attributes: {} })).toEqual([
      'assignedToMe',
      'assignedToMeDone',
      'completedByMe',
      'namedCandidate',
    ]);
    expect(await inboxTitles({ id: unique('u-stranger'), roles: [otherRole], attributes: {} })).toEqual(['otherRole']);
  });

  it('lists every task regardless of who may act on it', async () => {
    const all = await tasks.list(kit.em(), { templateKey, limit: 200 });
    expect(all.items.map((t) => t.title).sort()).toEqual(Object.keys(cases).sort());
    expect(await tasks.get(kit.em(), ids.assignedToMe!)).toMatchObject({ assignee: me.id, status: 'open' });
  });

  it('reads list pages without the unit of work, each task as the ORM would load it', async () => {
    const all = await tasks.list(kit.em(), { templateKey, limit: 200 });
    expect(all.items.length).toBe(Object.keys(cases).length);
    for (const listed of all.items) {
      expect(listed.createdAt).toBeInstanceOf(Date);
      expect({ ...listed }).toEqual({ ...(await tasks.get(kit.em(), listed.id)) });
    }
  });
});
