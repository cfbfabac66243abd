import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { insertTestApiKey } from '../../../support/test-auth';
import type { CrmHarness } from '../../../support/crm-harness';
import { listMail } from '../../../support/mailbox';
import type { StoredMessage } from '../../../../runtime/smtp-sink/message-store';
import { ADMIN_KEY, json, uniqueSuffix, until, type TestUser } from './crm-fixtures';

/*
 * Rows and reads the ticket and survey process tests share. crm.assignTicket picks among ALL
 * active holders of a role in the shared database (skilled first, then fewest open tickets, then
 * id as text), so a test that wants to know the assignee creates a skilled holder whose id sorts
 * before every other: a leading digit sorts before letters in the C collation and in the
 * language-aware ones alike. Such users are deactivated when their test ends, so they never
 * compete with a later test.
 */

export interface ServiceUser extends TestUser {
  roles: string[];
}

export async function createServiceUser(
  h: CrmHarness,
  user: { roles: string[]; skills?: string[]; firstInLine?: boolean; locale?: string },
): Promise<ServiceUser> {
  const id = `${user.firstInLine ? '0' : 'u'}-${user.roles[0]}-${uniqueSuffix()}`;
  const apiKey = `key-${randomUUID()}`;
  const email = `${id}@staff.test`;
  const attributes = { ...(user.skills ? { skills: user.skills } : {}), locale: user.locale ?? 'en' };
  await h.sql(
    `insert into engine_user (id, name, email, roles, attributes, active, created_at)
     values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, true, now())`,
    [id, `Test ${id}`, email, JSON.stringify(user.roles), JSON.stringify(attributes)],
  );
  await insertTestApiKey(h.sql, id, apiKey);
  return { id, email, apiKey, roles: user.roles };
}

export async function deactivateUsers(h: CrmHarness, users: readonly ServiceUser[]): Promise<void> {
  if (users.length === 0) return;
  await h.sql('update engine_user set active = false where id in (select jsonb_array_elements_text(?::jsonb))', [
    JSON.stringify(users.map((u) => u.id)),
  ]);
}

export interface UserRow {
  id: string;
  email: string;
  roles: string[];
  attributes: { skills?: string[] };
}

export async function userRow(h: CrmHarness, id: string): Promise<UserRow> {
  const [row] = await h.sql<UserRow>('select id, email, roles, attributes from engine_user where id = ?', [id]);
  if (!row) throw new Error(`no user ${id}`);
  return row;
}

interface CreatedTicket {
  ticket: { id: string };
  processes: { templateKey: string; instanceId: string }[];
}

/** POST /tickets as the admin; returns the ticket id and its ticket-escalation instance. */
export async function openTicket(
  h: CrmHarness,
  ticket: { customerId?: string; subject: string; body: string },
): Promise<{ ticketId: string; instanceId: string }> {
  const created = json<CreatedTicket>(
    await h.call(ADMIN_KEY, { method: 'POST', url: '/api/v1/tickets', payload: ticket }),
    201,
  );
  const process = created.processes.find((p) => p.templateKey === 'ticket-escalation');
  expect(process).toBeDefined();
  return { ticketId: created.ticket.id, instanceId: process!.instanceId };
}

export interface TicketView {
  id: string;
  customerId: string | null;
  category: string;
  priority: string;
  status: string;
  queue: string | null;
  assigneeId: string | null;
  redAlert: boolean;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  resolution: string | null;
  createdAt: string;
}

export async function getTicket(h: CrmHarness, ticketId: string): Promise<TicketView> {
  return json<TicketView>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/tickets/${encodeURIComponent(ticketId)}` }),
    200,
  );
}

export interface TaskRow {
  id: string;
  step_id: string;
  assignee: string | null;
  candidate_role: string | null;
  priority: string;
  status: string;
  due_at: Date | string | null;
  reminders_sent: number;
  escalation_level: number;
}

const TASK_COLUMNS =
  'id, step_id, assignee, candidate_role, priority, status, due_at, reminders_sent, escalation_level';

/** The task rows of an instance for one step, oldest first (a repeated step opens one per round). */
export async function tasksOf(h: CrmHarness, instanceId: string, stepId: string): Promise<TaskRow[]> {
  return h.sql<TaskRow>(
    `select ${TASK_COLUMNS} from task where instance_id = ? and step_id = ? order by created_at, id`,
    [instanceId, stepId],
  );
}

/** Waits for the `round`-th (1-based) task of the step to be open and returns it. */
export async function openTask(h: CrmHarness, instanceId: string, stepId: string, round = 1): Promise<TaskRow> {
  return until(async () => {
    const rows = await tasksOf(h, instanceId, stepId);
    expect(rows.length).toBeGreaterThanOrEqual(round);
    expect(rows[round - 1]!.status).toBe('open');
    return rows[round - 1]!;
  });
}

export async function instanceStatus(h: CrmHarness, instanceId: string): Promise<string> {
  return json<{ status: string }>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(instanceId)}` }),
    200,
  ).status;
}

/** The instances of a template for a business key (e.g. survey-reminders for 'ticket:T-…'). */
export async function instancesFor(
  h: CrmHarness,
  template: string,
  businessKey: string,
): Promise<{ id: string; status: string }[]> {
  const url = `/api/v1/instances?template=${encodeURIComponent(template)}&businessKey=${encodeURIComponent(businessKey)}`;
  return json<{ items: { id: string; status: string }[] }>(await h.call(ADMIN_KEY, { method: 'GET', url }), 200).items;
}

/**
 * Mails to `address` whose outbox key starts with `keyPrefix` (mail.sendTemplate keys are the
 * template's business keys, e.g. `survey-reminder:1:<invitation>`; task mails `task/<taskId>/…`).
 */
export async function mailsTo(address: string, keyPrefix = ''): Promise<StoredMessage[]> {
  return (await listMail()).filter(
    (m) =>
      m.to.some((to) => to.toLowerCase().includes(address.toLowerCase())) &&
      (m.headers['x-idempotency-key'] ?? '').startsWith(keyPrefix),
  );
}

export async function waitForMails(
  address: string,
  keyPrefix: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<StoredMessage[]> {
  return until(async () => {
    const found = await mailsTo(address, keyPrefix);
    expect(found.length).toBeGreaterThanOrEqual(count);
    return found;
  }, timeoutMs);
}

/** A survey of the demo CSAT shape, created through the API (designer/admin). */
export async function createSurvey(h: CrmHarness): Promise<{ id: string }> {
  return json<{ id: string }>(
    await h.call(ADMIN_KEY, {
      method: 'POST',
      url: '/api/v1/surveys',
      payload: {
        name: `Service satisfaction ${uniqueSuffix()}`,
        questions: [
          { id: 'overall', text: 'Overall satisfaction', kind: 'rating', required: true },
          { id: 'speed', text: 'Response speed', kind: 'rating' },
          { id: 'comment', text: 'Comments', kind: 'text' },
        ],
      },
    }),
    201,
  );
}

interface Question {
  id: string;
  kind: 'rating' | 'single' | 'multiple' | 'text';
  options?: string[];
}

export interface InvitationView {
  id: string;
  email: string;
  status: string;
  remindersSent: number;
  triggerRef: string;
  survey: { id: string; name: string; questions: Question[] };
}

export async function getInvitation(h: CrmHarness, invitationId: string): Promise<InvitationView> {
  return json<InvitationView>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/survey-invitations/${encodeURIComponent(invitationId)}` }),
    200,
  );
}

/** The customer's invitations, newest first. */
export async function invitationsOf(
  h: CrmHarness,
  customerId: string,
): Promise<{ id: string; status: string; triggerRef: string }[]> {
  const url = `/api/v1/survey-invitations?customerId=${encodeURIComponent(customerId)}`;
  return json<{ items: { id: string; status: string; triggerRef: string }[] }>(
    await h.call(ADMIN_KEY, { method: 'GET', url }),
    200,
  ).items;
}

/**
 * Answers to whatever survey the invitation uses (the oldest active one in the shared database):
 * `ratings` by question id, `fallbackRating` for other rating questions, `comment` for text ones.
 */
export function answersFor(
  questions: readonly Question[],
  mood: { ratings?: Record<string, number>; fallbackRating: number; comment: string },
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of questions) {
    if (q.kind === 'rating') answers[q.id] = mood.ratings?.[q.id] ?? mood.fallbackRating;
    else if (q.kind === 'text') answers[q.id] = mood.comment;
    else if (q.kind === 'single') answers[q.id] = q.options![0]!;
    else answers[q.id] = [q.options![0]!];
  }
  return answers;
}

/** Waits until the instance has started `stepId` (e.g. a receive, before moving a time-skipping clock past its timeout). */
export async function untilStepStarted(h: CrmHarness, instanceId: string, stepId: string): Promise<void> {
  await until(async () => {
    const timeline = json<{ items: { type: string; stepId: string | null }[] }>(
      await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(instanceId)}/timeline` }),
      200,
    );
    expect(timeline.items.some((e) => e.type === 'step.started' && e.stepId === stepId)).toBe(true);
  });
}

/**
 * Takes an open ticket's process through its respond and resolve tasks as the administrator (who
 * may complete any task): the ticket is resolved and the customer mailed, awaiting confirmation.
 */
export async function resolveTicketThroughTasks(h: CrmHarness, instanceId: string, resolution: string): Promise<void> {
  for (const [step, outcome, form] of [
    ['respond', 'responded', {}],
    ['resolve', 'resolved', { resolution }],
  ] as const) {
    const task = await openTask(h, instanceId, step);
    json(
      await h.call(ADMIN_KEY, {
        method: 'POST',
        url: `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`,
        payload: { outcome, form },
      }),
      200,
    );
  }
}

/**
 * Opens a ticket for the customer and takes it through response, resolution and confirmation as
 * the administrator (who may complete any task); closing it starts survey-reminders.
 */
export async function closeTicketThroughApi(h: CrmHarness, customerId: string): Promise<string> {
  const { ticketId, instanceId } = await openTicket(h, {
    customerId,
    subject: `Address change ${uniqueSuffix()}`,
    body: 'Please update our address.',
  });
  await resolveTicketThroughTasks(h, instanceId, 'Updated.');
  await untilStepStarted(h, instanceId, 'confirmEvent');
  json(await h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/tickets/${ticketId}/confirm` }), 202);
  await until(async () => expect((await getTicket(h, ticketId)).status).toBe('closed'));
  return ticketId;
}
