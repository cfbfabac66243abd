import type { ActivityContract } from '../../../dsl/activity-contract';
import type { ActivityDeps } from '../../deps';
import {
  AnalyseSurveyResponseParams, CreateSurveyInvitationParams, FollowUpTicket, InvitationRef, InvitationState,
  OpenFollowUpTicketParams, RecordSurveyReminderParams, SurveyInvitationCreated, SurveyReminderRecorded, SurveyResponseAnalysis,
} from './survey-schemas';
import { createSurveyFollowUpActivities } from './survey-follow-up';
import { createSurveyActivities } from './surveys';
import { createTicketAssignmentActivities } from './ticket-assignment';
import { createTicketActivities } from './tickets';
import {
  AssignTicketParams, LoadedTicket, RecordTicketResponseParams, ReopenTicketParams, ResolveTicketParams, TicketAssignment,
  TicketClosed, TicketRef, TicketReopened, TicketResolved, TicketResponseRecorded, UpdatedTicket, UpdateTicketParams,
} from './ticket-schemas';

export { analyseSurveyAnswers } from './survey-analysis';

/** The CRM service activities: tickets through their life cycle, and satisfaction surveys. */
export function createCrmServiceActivities(deps: ActivityDeps) {
  return {
    ...createTicketActivities(deps),
    ...createTicketAssignmentActivities(deps),
    ...createSurveyActivities(deps),
    ...createSurveyFollowUpActivities(deps),
  };
}

export const CRM_SERVICE_CATALOG: Record<string, ActivityContract> = {
  'crm.loadTicket': {
    description: 'A ticket with its customer, the e-mail to answer to, the locale and the customer grade (C without a customer).',
    params: TicketRef, result: LoadedTicket,
  },
  'crm.updateTicket': {
    description: 'Write the given ticket fields (category, priority, red alert, queue, SLA deadlines, status); the others keep their values.',
    params: UpdateTicketParams, result: UpdatedTicket,
  },
  'crm.assignTicket': {
    description: 'Assign the ticket to the active user with the role (skilled users first, then fewest open tickets); keeps a current assignee who holds the role; null when nobody does.',
    params: AssignTicketParams, result: TicketAssignment,
  },
  'crm.recordTicketResponse': {
    description: 'Record the first response (its time is kept) and move the ticket to in-progress.',
    params: RecordTicketResponseParams, result: TicketResponseRecorded,
  },
  'crm.resolveTicket': {
    description: 'Mark the ticket resolved with its resolution text (once; a closed ticket stays closed).',
    params: ResolveTicketParams, result: TicketResolved,
  },
  'crm.reopenTicket': {
    description: 'Reopen a resolved or closed ticket.',
    params: ReopenTicketParams, result: TicketReopened,
  },
  'crm.closeTicket': {
    description: 'Close the ticket and, when it has a customer, raise ticket.closed (once per ticket) to start the satisfaction survey.',
    params: TicketRef, result: TicketClosed,
  },
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
