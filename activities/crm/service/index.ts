import type { CatalogEntry } from '../../catalog';
import type { ActivityDeps } from '../../deps';
import {
  AnalyseSurveyResponseParams, CreateSurveyInvitationParams, FollowUpTicket, InvitationRef, InvitationState,
  OpenFollowUpTicketParams, RecordSurveyReminderParams, SurveyInvitationCreated, SurveyReminderRecorded, SurveyResponseAnalysis,
} from './survey-schemas';
import { createSurveyFollowUpActivities } from './survey-follow-up';
import { createSurveyActivities } from './surveys';
import { ticketActivities } from './tickets';

export { analyseSurveyAnswers } from './survey-analysis';

/** The CRM service activities: tickets through their life cycle, and satisfaction surveys. */
export const CRM_SERVICE_ACTIVITIES = [...ticketActivities] as const;

export function createCrmServiceActivities(deps: ActivityDeps) {
  return {
    ...createSurveyActivities(deps),
    ...createSurveyFollowUpActivities(deps),
  };
}

export const CRM_SERVICE_CATALOG: Record<string, CatalogEntry> = {
  'crm.createSurveyInvitation': {
    description: "Invite the customer's primary contact to a survey (the given one or the oldest active), once per survey, trigger and customer.",
    params: CreateSurveyInvitationParams, result: SurveyInvitationCreated,
  },
  'crm.recordSurveyReminder': {
    description: 'Count a survey reminder as sent (the same reminder number counts once); answered or expired invitations are unchanged.',
    params: RecordSurveyReminderParams, result: SurveyReminderRecorded,
  },
  'crm.expireSurveyInvitation': {
    description: 'Expire an unanswered survey invitation; an answered one stays responded.',
    params: InvitationRef, result: InvitationState,
  },
  'crm.analyseSurveyResponse': {
    description: 'Score a survey response (average rating, stored on the response), list low-rated areas and keywords found in text answers; policy: threshold and keywords.',
    params: AnalyseSurveyResponseParams, result: SurveyResponseAnalysis,
  },
  'crm.openFollowUpTicket': {
    description: 'Open one complaint ticket about a poor survey response and raise ticket.opened for it.',
    params: OpenFollowUpTicketParams, result: FollowUpTicket,
  },
};
