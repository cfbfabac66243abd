import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { insertTestApiKey } from '../../support/test-auth';
import { eventually, startApiHarness, type ApiHarness } from '../../support/api-harness';

interface TaskJson {
  id: string;
  title: string;
  description: string | null;
  outcomes: string[];
  outcomeLabels: Record<string, string>;
  form: { properties: Record<string, { title?: string; description?: string }> } | null;
}

/**
 * Template texts in both languages (issue 12, item 7): a task whose template gives its title,
 * description, outcome labels and form field titles per locale shows them in the request's
 * locale: Accept-Language first, then the caller's saved locale, else English.
 */
describe('task texts in the request locale', () => {
  let api: ApiHarness;
  const suffix = randomUUID().slice(0, 8);
  const person = { id: `u-li-${suffix}`, key: `key-${randomUUID()}` };
  let bilingualTask: TaskJson;
  let plainTask: TaskJson;

  const asPerson = (options: InjectOptions) =>
    api.app.inject({ ...options, headers: { 'x-api-key': person.key, ...options.headers } });
  const getTask = async (id: string, headers: Record<string, string> = {}) => {
    const response = await asPerson({ method: 'GET', url: `/api/v1/tasks/${encodeURIComponent(id)}`, headers });
    expect(response.statusCode).toBe(200);
    return response.json() as TaskJson;
  };

  async function publishAndStart(key: string, yaml: string): Promise<TaskJson> {
    await api.publish(key, yaml);
    const started = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/instances',
      payload: { template: key, input: { quoteId: 'Q-7', assignee: person.id } },
    });
    expect(started.statusCode).toBe(201);
    const instanceId = started.json().id as string;
    const id = await eventually(async () => {
      const rows = await api.engine.orm.em
        .fork()
        .execute<{ id: string }[]>(`select id from task where instance_id = ? and status = 'open'`, [instanceId]);
      return rows[0]?.id;
    }, `the open task of ${instanceId}`);
    return getTask(id, { 'accept-language': 'en' });
  }

  const header = (key: string) => `key: ${key}
name: Localised
input:
  type: object
  required: [quoteId, assignee]
  properties: { quoteId: { type: string }, assignee: { type: string } }
steps:`;

  beforeAll(async () => {
    api = await startApiHarness();
    const em = api.engine.orm.em.fork();
    await em.execute(
      `insert into engine_user (id, name, email, roles, attributes, active, created_at)
       values (?, ?, ?, array['sales-manager'], ?::jsonb, true, now())`,
      [person.id, 'Li Wei', `${person.id}@staff.test`, JSON.stringify({ locale: 'zh-CN' })],
    );
    await insertTestApiKey((query, params) => em.execute(query, params), person.id, person.key);

    const bilingual = `e2e-locales-${suffix}`;
    bilingualTask = await publishAndStart(
      bilingual,
      `${header(bilingual)}
  - id: approve
    task:
      title: { en: ="Approve quote " + input.quoteId, zh-CN: ="审批报价 " + input.quoteId }
      description: { en: Check the discount., zh-CN: 请核对折扣。 }
      assignee: =input.assignee
      outcomes: [approve, reject, later]
      outcomeLabels:
        approve: { en: Approve, zh-CN: 批准 }
        reject: Reject
      form:
        reason: { type: string, title: { en: Reason, zh-CN: 理由 }, description: { en: Why, zh-CN: 原因 } }
        note: { type: string }
`,
    );
    const plain = `e2e-locales-plain-${suffix}`;
    plainTask = await publishAndStart(
      plain,
      `${header(plain)}
  - id: approve
    task:
      title: ="Approve quote " + input.quoteId
      description: Check the discount.
      assignee: =input.assignee
      outcomes: [approve, reject]
      form: { reason: { type: string, description: Why } }
`,
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('shows English when the request asks for it', () => {
    expect(bilingualTask).toMatchObject({
      title: 'Approve quote Q-7',
      description: 'Check the discount.',
      outcomes: ['approve', 'reject', 'later'],
      outcomeLabels: { approve: 'Approve', reject: 'Reject', later: 'later' },
      form: {
        properties: { reason: { type: 'string', title: 'Reason', description: 'Why' }, note: { type: 'string' } },
      },
    });
  });

  it('shows Chinese with Accept-Language: zh-CN (or a zh range preferred by q)', async () => {
    for (const acceptLanguage of ['zh-CN', 'en;q=0.3, zh;q=0.9']) {
      expect(await getTask(bilingualTask.id, { 'accept-language': acceptLanguage })).toMatchObject({
        title: '审批报价 Q-7',
        description: '请核对折扣。',
        outcomeLabels: { approve: '批准', reject: 'Reject', later: 'later' },
        form: { properties: { reason: { title: '理由', description: '原因' }, note: { type: 'string' } } },
      });
    }
  });

  it("falls back to the caller's saved locale without a header of ours, in lists too", async () => {
    expect((await getTask(bilingualTask.id)).title).toBe('审批报价 Q-7');
    expect((await getTask(bilingualTask.id, { 'accept-language': 'fr-FR' })).title).toBe('审批报价 Q-7');
    const page = await asPerson({ method: 'GET', url: '/api/v1/tasks?assignee=me&status=open&limit=200' });
    expect(page.statusCode).toBe(200);
    const listed = (page.json().items as TaskJson[]).find((task) => task.id === bilingualTask.id);
    expect(listed).toMatchObject({ title: '审批报价 Q-7', outcomeLabels: { approve: '批准' } });
  });

  it('finds a task by its title in either language', async () => {
    for (const q of ['审批报价', 'approve QUOTE q-7']) {
      const page = await asPerson({ method: 'GET', url: `/api/v1/tasks?q=${encodeURIComponent(q)}&limit=200` });
      expect(page.statusCode).toBe(200);
      expect((page.json().items as TaskJson[]).map((task) => task.id)).toContain(bilingualTask.id);
    }
    const none = await asPerson({ method: 'GET', url: `/api/v1/tasks?q=${encodeURIComponent('审批合同')}&limit=200` });
    expect((none.json().items as TaskJson[]).map((task) => task.id)).not.toContain(bilingualTask.id);
  });

  it('shows a task of a template without texts per locale as written, in every locale', async () => {
    const zh = await getTask(plainTask.id, { 'accept-language': 'zh-CN' });
    expect(zh).toEqual(plainTask);
    expect(zh).toMatchObject({
      title: 'Approve quote Q-7',
      description: 'Check the discount.',
      outcomeLabels: { approve: 'approve', reject: 'reject' },
      form: { properties: { reason: { type: 'string', description: 'Why' } } },
    });
    const rows = await api.engine.orm.em
      .fork()
      .execute<{ texts: unknown; outcome_labels: unknown }[]>(`select texts, outcome_labels from task where id = ?`, [
        plainTask.id,
      ]);
    expect(rows).toEqual([{ texts: null, outcome_labels: null }]);
  });
});
