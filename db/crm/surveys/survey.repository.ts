import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { Survey, SurveyInvitation, SurveyResponse } from './survey.entity';
import type {
  CreateSurveyInput,
  InvitationStatus,
  SurveyAnswers,
  SurveyInvitationRecord,
  SurveyInvitationView,
  SurveyRecord,
  SurveyResponseRecord,
} from './survey.schema';
import { recordChange } from '../../repositories/audit-log';

export interface InvitationFilters {
  customerId?: string;
  status?: string;
  surveyId?: string;
  cursor?: string;
  limit?: number;
}

export interface NewInvitation {
  surveyId: string;
  customerId: string;
  email: string;
  triggerRef: string;
  sentAt: Date;
  expiresAt: Date;
}

// An invitation still waiting for its answer: reminders count and expiry applies.
const AWAITING_ANSWER: readonly InvitationStatus[] = ['sent', 'reminded'];

/*
 * The survey_answers projection (one row per rating question answered with a number and text
 * question answered with a string), written with the response in its transaction, read by the
 * survey-scores report instead of unpacking every response's JSON per call. Migration 20261215
 * backfilled the responses before it with the same statement.
 */
const INSERT_SURVEY_ANSWERS = `insert into survey_answers
    (response_id, question_id, survey_id, customer_id, responded_at, rating, answer_text)
  select r.id, q ->> 'id', s.id, i.customer_id, r.created_at,
         case when q ->> 'kind' = 'rating' then (a.value)::text::numeric end,
         case when q ->> 'kind' = 'text' then a.value #>> '{}' end
    from survey_responses r
    join survey_invitations i on i.id = r.invitation_id
    join surveys s on s.id = i.survey_id
    cross join lateral jsonb_array_elements(s.questions) q
    cross join lateral (select r.answers -> (q ->> 'id') as value) a
   where ((q ->> 'kind' = 'rating' and jsonb_typeof(a.value) = 'number')
      or (q ->> 'kind' = 'text' and jsonb_typeof(a.value) = 'string'))`;

/**
 * The only reader and writer of `surveys`, `survey_invitations`, `survey_responses` and their projection `survey_answers`. Made per
 * unit of work on the caller's EntityManager; state changes work on an invitation from
 * `lockInvitation`, inside the caller's transaction.
 */
export class SurveyRepository {
  constructor(private readonly em: EntityManager) {}

  /** A new survey with a fresh `SV-…` id; the questions are checked by the caller. */
  async createSurvey(input: CreateSurveyInput): Promise<Survey> {
    const survey = this.em.create(Survey, { id: newCrmId('SV'), name: input.name, questions: input.questions });
    await this.em.flush();
    return survey;
  }

  findSurvey(id: string): Promise<Survey | null> {
    return this.em.findOne(Survey, id);
  }

  /** The survey used when none is named: the oldest active one. */
  findOldestActiveSurvey(): Promise<Survey | null> {
    return this.em.findOne(Survey, { active: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  listSurveys(filters: { active?: boolean; cursor?: string; limit?: number }): Promise<Page<Survey>> {
    const where = filters.active === undefined ? [] : ['active = ?'];
    const params = filters.active === undefined ? [] : [filters.active];
    return queryKeysetPage(this.em, {
      entity: Survey,
      table: 'surveys',
      orderColumn: 'created_at',
      where,
      params,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  findInvitation(id: string): Promise<SurveyInvitation | null> {
    return this.em.findOne(SurveyInvitation, id, { populate: ['survey'] });
  }

  /** The invitation locked for this transaction, its survey loaded; null when there is none. */
  async lockInvitation(id: string): Promise<SurveyInvitation | null> {
    const invitation = await this.em.findOne(SurveyInvitation, id, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      refresh: true,
    });
    if (invitation) await this.em.populate(invitation, ['survey']);
    return invitation;
  }

  /** The first invitation of a customer to a survey about one trigger. */
  findInvitationFor(surveyId: string, triggerRef: string, customerId: string): Promise<SurveyInvitation | null> {
    return this.em.findOne(
      SurveyInvitation,
      { survey: surveyId, triggerRef, customer: customerId },
      { orderBy: { sentAt: 'asc', id: 'asc' } },
    );
  }

  /**
   * Invites once per (survey, trigger, e-mail) with a fresh `SI-…` id: one insert that skips a
   * duplicate, so two racing attempts make one invitation and neither fails.
   */
  async inviteOnce(invitation: NewInvitation): Promise<void> {
    const id = newCrmId('SI');
    const result = await this.em
      .createQueryBuilder(SurveyInvitation)
      .insert({
        id,
        survey: invitation.surveyId,
        customer: invitation.customerId,
        email: invitation.email,
        triggerRef: invitation.triggerRef,
        status: 'sent',
        remindersSent: 0,
        sentAt: invitation.sentAt,
        expiresAt: invitation.expiresAt,
      })
      .onConflict(['survey', 'triggerRef', 'email'])
      .ignore()
      .execute('run');
    if (result.affectedRows === 1)
      await recordChange(this.em, {
        action: 'SurveyInvitation.create',
        subject: `survey_invitations:${id}`,
        after: { ...invitation },
      });
  }

  listInvitations(filters: InvitationFilters): Promise<Page<SurveyInvitation>> {
    const equals = { customer_id: filters.customerId, status: filters.status, survey_id: filters.surveyId };
    return queryKeysetPage(this.em, {
      entity: SurveyInvitation,
      table: 'survey_invitations',
      orderColumn: 'sent_at',
      equals,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /** Counts reminder `reminderNo`: the count only grows to the highest number seen; an answered or expired invitation is unchanged. */
  async recordReminder(invitation: SurveyInvitation, reminderNo: number, at: Date): Promise<void> {
    if (!AWAITING_ANSWER.includes(invitation.status)) return;
    if (invitation.remindersSent < reminderNo) invitation.lastRemindedAt = at;
    invitation.remindersSent = Math.max(invitation.remindersSent, reminderNo);
    invitation.status = 'reminded';
    await this.em.flush();
  }

  /** Closes an unanswered invitation; an answered one keeps its status. */
  async expire(invitation: SurveyInvitation): Promise<void> {
    if (!AWAITING_ANSWER.includes(invitation.status)) return;
    invitation.status = 'expired';
    await this.em.flush();
  }

  findResponseOf(invitationId: string): Promise<SurveyResponse | null> {
    return this.em.findOne(SurveyResponse, { invitation: invitationId });
  }

  /**
   * Stores the one response (a fresh `SR-…` id) and marks the invitation responded; null when the
   * invitation has a response already (the unique invitation_id refuses a second).
   */
  async respond(
    invitation: SurveyInvitation,
    answers: SurveyAnswers,
    score: number | null,
  ): Promise<SurveyResponse | null> {
    const response = this.em.create(SurveyResponse, { id: newCrmId('SR'), invitation, answers, score });
    invitation.status = 'responded';
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return null;
      throw error;
    }
    await this.em.execute(`${INSERT_SURVEY_ANSWERS} and r.id = ?`, [response.id]);
    return response;
  }

  async storeScore(response: SurveyResponse, score: number | null): Promise<void> {
    response.score = score;
    await this.em.flush();
  }

  toSurveyRecord(survey: Survey): SurveyRecord {
    return {
      id: survey.id,
      name: survey.name,
      questions: survey.questions,
      active: survey.active,
      createdAt: survey.createdAt.toISOString(),
    };
  }

  toInvitationRecord(invitation: SurveyInvitation): SurveyInvitationRecord {
    return {
      id: invitation.id,
      surveyId: invitation.survey.id,
      customerId: invitation.customer?.id ?? null,
      email: invitation.email,
      triggerRef: invitation.triggerRef,
      status: invitation.status,
      remindersSent: invitation.remindersSent,
      sentAt: invitation.sentAt.toISOString(),
      lastRemindedAt: invitation.lastRemindedAt?.toISOString() ?? null,
      expiresAt: invitation.expiresAt?.toISOString() ?? null,
    };
  }

  /** The invitation with its survey's questions; the survey must be loaded (findInvitation does). */
  toInvitationView(invitation: SurveyInvitation): SurveyInvitationView {
    const { survey } = invitation;
    return {
      ...this.toInvitationRecord(invitation),
      survey: { id: survey.id, name: survey.name, questions: survey.questions },
    };
  }

  toResponseRecord(response: SurveyResponse): SurveyResponseRecord {
    return {
      id: response.id,
      invitationId: response.invitation.id,
      answers: response.answers,
      score: response.score ?? null,
      createdAt: response.createdAt.toISOString(),
    };
  }
}
