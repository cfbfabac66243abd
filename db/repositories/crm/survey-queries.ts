import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateSurveyInput, SurveyAnswers } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, num, numOrNull, one, str } from './row-values';

export const toSurvey = (row: Row) => ({
  id: String(row['id']), name: String(row['name']), questions: row['questions'] as unknown[], active: Boolean(row['active']), createdAt: iso(row['created_at']),
});

export const toInvitation = (row: Row) => ({
  id: String(row['id']), surveyId: String(row['survey_id']), customerId: str(row['customer_id']), email: String(row['email']),
  triggerRef: String(row['trigger_ref']), status: String(row['status']), remindersSent: num(row['reminders_sent']),
  sentAt: iso(row['sent_at']), lastRemindedAt: iso(row['last_reminded_at']), expiresAt: iso(row['expires_at']),
});

export const toSurveyResponse = (row: Row) => ({
  id: String(row['id']), invitationId: String(row['invitation_id']), answers: row['answers'] as SurveyAnswers,
  score: numOrNull(row['score']), createdAt: iso(row['created_at']),
});

export function listSurveys(em: EntityManager, f: { active?: boolean; cursor?: string; limit?: number }): Promise<Page<Row>> {
  return queryRowPage(em, { from: 'surveys', where: new Where().maybe(f.active, 't.active = ?'), cursor: f.cursor, limit: f.limit });
}

export async function insertSurvey(em: EntityManager, id: string, input: CreateSurveyInput): Promise<Row> {
  const rows = await em.execute<Row[]>('insert into surveys (id, name, questions) values (?, ?, ?::jsonb) returning *', [id, input.name, JSON.stringify(input.questions)]);
  return rows[0]!;
}

export function listInvitations(em: EntityManager, f: { customerId?: string; status?: string; surveyId?: string; cursor?: string; limit?: number }): Promise<Page<Row>> {
  const where = new Where().maybe(f.customerId, 't.customer_id = ?').maybe(f.status, 't.status = ?').maybe(f.surveyId, 't.survey_id = ?');
  return queryRowPage(em, { from: 'survey_invitations', where, cursor: f.cursor, limit: f.limit, orderColumn: 'sent_at' });
}

/** The invitation with its survey's name and questions; `lock` takes a row lock for the response. */
export function getInvitation(em: EntityManager, id: string, lock = false): Promise<Row | null> {
  return one(em.execute<Row[]>(
    `select i.*, s.name as survey_name, s.questions as survey_questions from survey_invitations i join surveys s on s.id = i.survey_id
      where i.id = ? ${lock ? 'for update of i' : ''}`, [id],
  ));
}

export function getResponseOf(em: EntityManager, invitationId: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from survey_responses where invitation_id = ?', [invitationId]));
}

/** Stores the one response and marks the invitation responded; null when a response exists already. */
export async function insertSurveyResponse(em: EntityManager, id: string, invitationId: string, answers: SurveyAnswers, score: number | null): Promise<Row | null> {
  const row = await one(em.execute<Row[]>(
    `insert into survey_responses (id, invitation_id, answers, score) values (?, ?, ?::jsonb, ?)
     on conflict (invitation_id) do nothing returning *`, [id, invitationId, JSON.stringify(answers), score],
  ));
  if (row) await em.execute(`update survey_invitations set status = 'responded' where id = ?`, [invitationId]);
  return row;
}
