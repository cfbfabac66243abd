import { ApplicationFailure } from '@temporalio/activity';
import {
  CreateSurveyInvitationParams,
  InvitationRef,
  InvitationState,
  RecordSurveyReminderParams,
  SurveyInvitationCreated,
  SurveyReminderRecorded,
  SurveyRepository,
  type Survey,
  type SurveyInvitation,
} from '../../../db/crm/surveys';
import { parseDuration } from '../../../dsl/duration';
import { defineActivity } from '../../activity-definition';
import type { ActivityDeps } from '../../deps';
import { resolveMailLocale } from '../../mail-templates/locale';
import { CustomerRepository } from '../../../db/crm/customers';
import { mintLink, publicPageUrl } from '../../links/mail-links';

const DEFAULT_EXPIRY = 'P14D';

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

const unknownInvitation = (invitationId: string) =>
  refuse('survey.unknown-invitation', `no survey invitation ${invitationId}`);

/** Runs `work` on the invitation locked in one transaction. */
function withLockedInvitation<T>(
  deps: ActivityDeps,
  invitationId: string,
  work: (invitation: SurveyInvitation, surveys: SurveyRepository) => Promise<T>,
): Promise<T> {
  return deps.orm.em.fork().transactional(async (tx) => {
    const surveys = new SurveyRepository(tx);
    const invitation = await surveys.lockInvitation(invitationId);
    return invitation ? work(invitation, surveys) : unknownInvitation(invitationId);
  });
}

/** Invitations to satisfaction surveys: created once per trigger, reminded, expired. */
export const surveyActivities = [
  defineActivity({
    name: 'crm.createSurveyInvitation',
    contract: {
      description:
        "Invite the customer's primary contact to a survey (the given one or the oldest active), once per survey, trigger and customer.",
      params: CreateSurveyInvitationParams,
      result: SurveyInvitationCreated,
    },
    /**
     * Invites the customer's contact to a survey about `triggerRef`. Once per survey, trigger and
     * customer: a retry (or the same trigger again) finds the first invitation and returns it.
     */
    async run(params, deps) {
      const em = deps.orm.em.fork();
      const surveys = new SurveyRepository(em);
      const customer =
        (await new CustomerRepository(em).find(params.customerId)) ??
        refuse('survey.unknown-customer', `no customer ${params.customerId}`);
      const survey = await chooseSurvey(surveys, params.surveyId);
      const expiry = parseDuration(params.expiresAfter ?? DEFAULT_EXPIRY);
      if (!expiry.ok) refuse('survey.invalid-duration', `expiresAfter: ${expiry.message}`);

      let invitation = await surveys.findInvitationFor(survey.id, params.triggerRef, customer.id);
      if (!invitation) {
        const email =
          (await new CustomerRepository(em).findEmail(customer.id)) ??
          refuse('survey.no-recipient', `customer ${customer.id} has no contact with an e-mail address`);
        const sentAt = (deps.now ?? (() => new Date()))();
        await surveys.inviteOnce({
          surveyId: survey.id,
          customerId: customer.id,
          email,
          triggerRef: params.triggerRef,
          sentAt,
          expiresAt: new Date(sentAt.getTime() + expiry.ms),
        });
        invitation = await surveys.findInvitationFor(survey.id, params.triggerRef, customer.id);
        if (!invitation) throw new Error(`invitation for ${survey.id}/${params.triggerRef} vanished after its insert`);
      }
      const locale = resolveMailLocale(customer.locale);
      // The link lasts as long as the invitation; one without an expiry gets the default period.
      const linkExpiry = invitation.expiresAt ?? new Date(invitation.sentAt.getTime() + expiry.ms);
      const surveyUrl =
        mintLink(deps, {
          kind: 'survey',
          subject: invitation.id,
          recipient: customer.id,
          locale,
          expiresAt: linkExpiry,
        }) ?? publicPageUrl(deps, `/api/v1/survey-invitations/${encodeURIComponent(invitation.id)}`);
      return {
        invitationId: invitation.id,
        surveyId: survey.id,
        surveyTitle: survey.name,
        email: invitation.email,
        locale,
        customerName: customer.name,
        surveyUrl,
        expiresOn: invitation.expiresAt ? invitation.expiresAt.toISOString().slice(0, 10) : '',
        status: invitation.status,
      };
    },
  }),

  defineActivity({
    name: 'crm.recordSurveyReminder',
    contract: {
      description:
        'Count a survey reminder as sent (the same reminder number counts once); answered or expired invitations are unchanged.',
      params: RecordSurveyReminderParams,
      result: SurveyReminderRecorded,
    },
    /**
     * Counts reminder `reminderNo` as sent. The count only grows to the highest number seen, so a
     * retried reminder never counts twice; an answered or expired invitation is left as it is.
     */
    async run({ invitationId, reminderNo }, deps) {
      return withLockedInvitation(deps, invitationId, async (invitation, surveys) => {
        await surveys.recordReminder(invitation, reminderNo, (deps.now ?? (() => new Date()))());
        return { invitationId, status: invitation.status, remindersSent: invitation.remindersSent };
      });
    },
  }),

  defineActivity({
    name: 'crm.expireSurveyInvitation',
    contract: {
      description: 'Expire an unanswered survey invitation; an answered one stays responded.',
      params: InvitationRef,
      result: InvitationState,
    },
    /** Closes an unanswered invitation; one that was answered keeps its response and its status. */
    async run({ invitationId }, deps) {
      return withLockedInvitation(deps, invitationId, async (invitation, surveys) => {
        await surveys.expire(invitation);
        return { invitationId, status: invitation.status };
      });
    },
  }),
] as const;

async function chooseSurvey(surveys: SurveyRepository, surveyId: string | undefined): Promise<Survey> {
  if (surveyId !== undefined)
    return (await surveys.findSurvey(surveyId)) ?? refuse('survey.unknown', `no survey ${surveyId}`);
  return (await surveys.findOldestActiveSurvey()) ?? refuse('survey.none-active', 'no survey is active');
}
