import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseDuration } from '../../../dsl/duration';
import type { ActivityDeps } from '../../deps';
import { CustomerRepository } from '../../../db/crm/customers';
import { isoOf, localeOf } from './service-rows';
import type {
  CreateSurveyInvitationParams, InvitationRef, InvitationState, InvitationStatus, RecordSurveyReminderParams,
  SurveyInvitationCreated, SurveyReminderRecorded,
} from './survey-schemas';

const DEFAULT_EXPIRY = 'P14D';
const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

interface InvitationRow {
  id: string;
  survey_id: string;
  email: string;
  status: InvitationStatus;
  reminders_sent: number;
  expires_at: Date | string | null;
}

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Invitations to satisfaction surveys: created once per trigger, reminded, expired. */
export function createSurveyActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const baseUrl = (deps.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');

  return {
    /**
     * Invites the customer's contact to a survey about `triggerRef`. Once per survey, trigger and
     * customer: a retry (or the same trigger again) finds the first invitation and returns it.
     */
    async 'crm.createSurveyInvitation'(params: CreateSurveyInvitationParams): Promise<SurveyInvitationCreated> {
      const em = deps.orm.em.fork();
      const [customer] = await em.execute<{ id: string; name: string; locale: string }[]>(
        'select id, name, locale from customers where id = ?', [params.customerId],
      );
      if (!customer) refuse('survey.unknown-customer', `no customer ${params.customerId}`);
      const survey = await chooseSurvey(em, params.surveyId);
      const expiry = parseDuration(params.expiresAfter ?? DEFAULT_EXPIRY);
      if (!expiry.ok) refuse('survey.invalid-duration', `expiresAfter: ${expiry.message}`);

      let invitation = await findInvitation(em, survey.id, params.triggerRef, customer.id);
      if (!invitation) {
        const email = await new CustomerRepository(em).findEmail(customer.id);
        if (email === null) refuse('survey.no-recipient', `customer ${customer.id} has no contact with an e-mail address`);
        const sentAt = now();
        await em.execute(
          `insert into survey_invitations (id, survey_id, customer_id, email, trigger_ref, status, reminders_sent, sent_at, expires_at)
           values (?, ?, ?, ?, ?, 'sent', 0, ?, ?) on conflict (survey_id, trigger_ref, email) do nothing`,
          [`SI-${randomUUID()}`, survey.id, customer.id, email, params.triggerRef, sentAt.toISOString(),
            new Date(sentAt.getTime() + expiry.ms).toISOString()],
        );
        invitation = await findInvitation(em, survey.id, params.triggerRef, customer.id);
        if (!invitation) throw new Error(`invitation for ${survey.id}/${params.triggerRef} vanished after its insert`);
      }
      return {
        invitationId: invitation.id, surveyId: survey.id, surveyTitle: survey.name, email: invitation.email,
        locale: localeOf(customer.locale), customerName: customer.name,
        surveyUrl: `${baseUrl}/api/v1/survey-invitations/${encodeURIComponent(invitation.id)}`,
        expiresOn: invitation.expires_at === null ? '' : isoOf(invitation.expires_at).slice(0, 10),
        status: invitation.status,
      };
    },

    /**
     * Counts reminder `reminderNo` as sent. The count only grows to the highest number seen, so a
     * retried reminder never counts twice; an answered or expired invitation is left as it is.
     */
    async 'crm.recordSurveyReminder'({ invitationId, reminderNo }: RecordSurveyReminderParams): Promise<SurveyReminderRecorded> {
      const em = deps.orm.em.fork();
      await em.execute(
        `update survey_invitations
            set last_reminded_at = case when reminders_sent < ? then ?::timestamptz else last_reminded_at end,
                reminders_sent = greatest(reminders_sent, ?), status = 'reminded'
          where id = ? and status in ('sent', 'reminded')`,
        [reminderNo, now().toISOString(), reminderNo, invitationId],
      );
      const invitation = await loadInvitation(em, invitationId);
      return { invitationId, status: invitation.status, remindersSent: invitation.reminders_sent };
    },

    /** Closes an unanswered invitation; one that was answered keeps its response and its status. */
    async 'crm.expireSurveyInvitation'({ invitationId }: InvitationRef): Promise<InvitationState> {
      const em = deps.orm.em.fork();
      await em.execute(`update survey_invitations set status = 'expired' where id = ? and status in ('sent', 'reminded')`, [invitationId]);
      const invitation = await loadInvitation(em, invitationId);
      return { invitationId, status: invitation.status };
    },
  };
}

async function chooseSurvey(em: EntityManager, surveyId: string | undefined): Promise<{ id: string; name: string }> {
  if (surveyId !== undefined) {
    const [survey] = await em.execute<{ id: string; name: string }[]>('select id, name from surveys where id = ?', [surveyId]);
    return survey ?? refuse('survey.unknown', `no survey ${surveyId}`);
  }
  const [oldest] = await em.execute<{ id: string; name: string }[]>(
    'select id, name from surveys where active order by created_at, id limit 1', [],
  );
  return oldest ?? refuse('survey.none-active', 'no survey is active');
}

async function findInvitation(em: EntityManager, surveyId: string, triggerRef: string, customerId: string): Promise<InvitationRow | undefined> {
  const [row] = await em.execute<InvitationRow[]>(
    `select id, survey_id, email, status, reminders_sent, expires_at from survey_invitations
      where survey_id = ? and trigger_ref = ? and customer_id = ? order by sent_at, id limit 1`,
    [surveyId, triggerRef, customerId],
  );
  return row;
}

export async function loadInvitation(em: EntityManager, invitationId: string): Promise<InvitationRow> {
  const [row] = await em.execute<InvitationRow[]>(
    'select id, survey_id, email, status, reminders_sent, expires_at from survey_invitations where id = ?', [invitationId],
  );
  return row ?? refuse('survey.unknown-invitation', `no survey invitation ${invitationId}`);
}
