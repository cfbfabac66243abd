import { surveyFollowUpActivities } from './survey-follow-up';
import { surveyActivities } from './surveys';
import { ticketActivities } from './tickets';

/** The CRM service activities: tickets through their life cycle, and satisfaction surveys. */
export const serviceActivities = [...ticketActivities, ...surveyActivities, ...surveyFollowUpActivities] as const;
