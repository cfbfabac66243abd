import { surveyFollowUpActivities } from './survey-follow-up';
import { surveyActivities } from './surveys';
import { ticketActivities } from './tickets';

/** The CRM service activities: tickets through their life cycle, and satisfaction surveys. */
export const CRM_SERVICE_ACTIVITIES = [...ticketActivities, ...surveyActivities, ...surveyFollowUpActivities] as const;
