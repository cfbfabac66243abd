import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import pino from 'pino';
import { bindActivities } from '../../../../../activities/activity-definition';
import { serviceActivities as serviceActivityDefinitions } from '../../../../../activities/crm/service';
import type { SurveyQuestion } from '../../../../../db/crm/surveys/survey.schema';
import type { Orm } from '../../../../../db/orm';

/*
 * Rows the service e2e tests own: every id is random, so tests never see each other's data in
 * the shared database and nothing is ever truncated.
 */

export const uid = (prefix: string) => `${prefix}-${randomUUID()}`;

/** The service activities against the real database; they never mail, so the transport is a stub. */
export function serviceActivities(orm: Orm, now?: () => Date) {
  return bindActivities(serviceActivityDefinitions, {
    orm,
    mailer: {} as Transporter,
    mailFrom: 'service@engine.test',
    logger: pino({ level: 'silent' }),
    publicUrl: 'https://crm.example.test/',
    ...(now ? { now } : {}),
  });
}

async function run(orm: Orm, sql: string, params: unknown[]): Promise<void> {
  await orm.em.fork().execute(sql, params);
}

export async function insertCustomer(
  orm: Orm,
  fields: { grade?: string; locale?: string; name?: string } = {},
): Promise<string> {
  const id = uid('C');
  await run(orm, 'insert into customers (id, name, grade, locale) values (?, ?, ?, ?)', [
    id,
    fields.name ?? `Customer ${id}`,
    fields.grade ?? 'B',
    fields.locale ?? 'zh-CN',
  ]);
  return id;
}

export async function insertContact(
  orm: Orm,
  customerId: string,
  fields: { email?: string | null; primary?: boolean } = {},
): Promise<string> {
  const id = uid('K');
  await run(orm, 'insert into contacts (id, customer_id, name, email, is_primary) values (?, ?, ?, ?, ?)', [
    id,
    customerId,
    `Contact ${id}`,
    fields.email === undefined ? `${id}@example.test` : fields.email,
    fields.primary ?? false,
  ]);
  return id;
}

export async function insertUser(
  orm: Orm,
  roles: string[],
  attributes: Record<string, unknown> = {},
  active = true,
): Promise<string> {
  const id = uid('U');
  await run(
    orm,
    `insert into engine_user (id, name, email, roles, attributes, active)
                  values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?)`,
    [id, `User ${id}`, `${id}@example.test`, JSON.stringify(roles), JSON.stringify(attributes), active],
  );
  return id;
}

export async function insertTicket(
  orm: Orm,
  fields: {
    customerId?: string | null;
    contactId?: string | null;
    assigneeId?: string | null;
    status?: string;
    subject?: string;
    body?: string;
  } = {},
): Promise<string> {
  const id = uid('T');
  await run(
    orm,
    `insert into tickets (id, customer_id, contact_id, assignee_id, status, subject, body, created_at)
                  values (?, ?, ?, ?, ?, ?, ?, '2025-03-01T09:00:00Z')`,
    [
      id,
      fields.customerId ?? null,
      fields.contactId ?? null,
      fields.assigneeId ?? null,
      fields.status ?? 'open',
      fields.subject ?? 'Printer broken',
      fields.body ?? 'It prints nothing.',
    ],
  );
  return id;
}

export const SURVEY_QUESTIONS: SurveyQuestion[] = [
  { id: 'speed', text: 'Speed of the response', kind: 'rating', required: true },
  { id: 'staff', text: 'Friendliness of the staff', kind: 'rating' },
  { id: 'solved', text: 'Was the problem solved?', kind: 'single', options: ['yes', 'no'] },
  { id: 'comment', text: 'Anything else?', kind: 'text' },
];

export async function insertSurvey(orm: Orm, questions: SurveyQuestion[] = SURVEY_QUESTIONS): Promise<string> {
  const id = uid('S');
  await run(orm, 'insert into surveys (id, name, questions, active) values (?, ?, ?::jsonb, true)', [
    id,
    `Survey ${id}`,
    JSON.stringify(questions),
  ]);
  return id;
}

export async function insertResponse(orm: Orm, invitationId: string, answers: Record<string, unknown>): Promise<void> {
  await run(orm, 'insert into survey_responses (id, invitation_id, answers) values (?, ?, ?::jsonb)', [
    uid('R'),
    invitationId,
    JSON.stringify(answers),
  ]);
  await run(orm, `update survey_invitations set status = 'responded' where id = ?`, [invitationId]);
}

export async function selectRows<T>(orm: Orm, sql: string, params: unknown[]): Promise<T[]> {
  return orm.em.fork().execute<T[]>(sql, params);
}
