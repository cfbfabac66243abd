import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Transporter } from 'nodemailer';
import { bindActivities } from '../../activities/activity-definition';
import { engineActivities } from '../../activities/engine';
import type { ActivityDeps } from '../../activities/deps';
import type { OpenTaskParams, ProjectInstanceParams } from '../../contracts/engine';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { openOrm, type Orm } from '../../db/orm';
import { createMailTransport } from '../../runtime/mailer';
import type { StoredMessage } from '../../runtime/smtp-sink/message-store';
import { listMail } from './mailbox';
import { testServers } from './test-env';
import { insertTestApiKey } from './test-auth';

const bindEngineActivities = (deps: ActivityDeps) => bindActivities(engineActivities, deps);

/** The engine activities on the shared PostgreSQL and SMTP sink, run as Temporal would run them (outside a worker). */
export interface EngineTestKit {
  orm: Orm;
  deps: ActivityDeps;
  activities: ReturnType<typeof bindEngineActivities>;
  em(): EntityManager;
  run<P, R>(activity: (params: P) => Promise<R>, params: P): Promise<R>;
  close(): Promise<void>;
}

export async function openEngineTestKit(): Promise<EngineTestKit> {
  const orm = await openOrm(testServers().databaseUrl, { poolMax: 8 });
  const mailer: Transporter = createMailTransport(testServers().smtpUrl);
  const deps: ActivityDeps = { orm, mailer, mailFrom: 'engine@engine.test', logger: pino({ level: 'silent' }) };
  return {
    orm,
    deps,
    activities: bindEngineActivities(deps),
    em: () => orm.em.fork(),
    run: (activity, params) => new MockActivityEnvironment().run(activity, params),
    close: async () => {
      mailer.close();
      await orm.close();
    },
  };
}

/** Ids and names no other test (or earlier run against the same database) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestUser {
  id: string;
  email: string;
  roles?: string[];
  attributes?: Record<string, Json>;
  active?: boolean;
  apiKey?: string;
}

export async function insertUser(em: EntityManager, user: TestUser): Promise<void> {
  await em.execute(
    `insert into engine_user (id, name, email, roles, attributes, active)
     values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?)`,
    [
      user.id,
      `Test ${user.id}`,
      user.email,
      JSON.stringify(user.roles ?? []),
      JSON.stringify(user.attributes ?? {}),
      user.active ?? true,
    ],
  );
  if (user.apiKey) await insertTestApiKey((query, params) => em.execute(query, params), user.id, user.apiKey);
}

/** A user with a unique id and a unique address at the sink. */
export function newUser(prefix: string, extra: Omit<TestUser, 'id' | 'email'> = {}): TestUser {
  const id = unique(prefix);
  return { id, email: `${id}@example.test`, ...extra };
}

export function openTaskParams(overrides: Partial<OpenTaskParams> = {}): OpenTaskParams {
  const instanceId = overrides.instanceId ?? unique('inst');
  return {
    taskId: `${instanceId}:steps[0]@0`,
    instanceId,
    templateKey: 'test-template',
    stepId: 'approve',
    title: 'Approve the quote',
    description: 'Quote Q-1 needs a decision',
    assignee: null,
    candidates: { role: null, users: [], where: {} },
    outcomes: ['approve', 'reject'],
    form: { type: 'object', properties: { reason: { type: 'string' } } },
    priority: 'normal',
    dueAt: '2030-01-01T12:00:00.000Z',
    notify: false,
    ...overrides,
  };
}

export function projectionParams(overrides: Partial<ProjectInstanceParams> = {}): ProjectInstanceParams {
  return {
    instanceId: unique('inst'),
    templateKey: 'test-template',
    version: 1,
    businessKey: null,
    parentInstanceId: null,
    status: 'running',
    startedAt: '2026-01-01T10:00:00.000Z',
    endedAt: null,
    currentSteps: [],
    timeline: [],
    ...overrides,
  };
}

export function testPlan(key: string, name = `Template ${key}`): ProcessPlan {
  return {
    planVersion: 1,
    key,
    name,
    version: 0,
    hash: '',
    inputSchema: { type: 'object' },
    triggers: [],
    vars: {},
    steps: [{ kind: 'end', id: 'done', path: 'steps[0]' }],
  };
}

/** Mail the sink received for one address, after a moment for stragglers (a duplicate would arrive too). */
export async function mailTo(address: string, settleMs = 300): Promise<StoredMessage[]> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return (await listMail()).filter((message) => message.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

export async function countRows(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(`select count(*) as count from ${sql}`, params);
  return Number(row?.count ?? 0);
}
