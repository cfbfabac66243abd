import { Type, type Static } from 'typebox';
import { RatedQuestion, SurveyAnalysisPolicy } from './survey-analysis';
import { CustomerLocale as Locale } from '../../../db/crm-schemas/common';

/* Parameters and results of the survey activities (surveys.ts, survey-follow-up.ts). */

const Ref = Type.String({ minLength: 1, maxLength: 200 });

export const InvitationStatus = Type.Enum(['sent', 'reminded', 'responded', 'expired']);
export type InvitationStatus = Static<typeof InvitationStatus>;

export const InvitationRef = Type.Object({ invitationId: Ref }, { additionalProperties: false });
export type InvitationRef = Static<typeof InvitationRef>;

export const CreateSurveyInvitationParams = Type.Object({
  customerId: Ref,
  triggerRef: Type.String({ minLength: 1, maxLength: 200, description: 'What the survey is about, e.g. ticket:T-1 or order:O-1' }),
  surveyId: Type.Optional(Type.String({ minLength: 1, description: 'Default: the oldest active survey' })),
  expiresAfter: Type.Optional(Type.String({ minLength: 2, description: 'ISO 8601 duration without years or months; default P14D' })),
}, { additionalProperties: false });
export type CreateSurveyInvitationParams = Static<typeof CreateSurveyInvitationParams>;

export const SurveyInvitationCreated = Type.Object({
  invitationId: Type.String(),
  surveyId: Type.String(),
  surveyTitle: Type.String(),
  email: Type.String(),
  locale: Locale,
  customerName: Type.String(),
  surveyUrl: Type.String({ description: 'Where the customer answers' }),
  expiresOn: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
  status: InvitationStatus,
});
export type SurveyInvitationCreated = Static<typeof SurveyInvitationCreated>;

export const RecordSurveyReminderParams = Type.Object({
  invitationId: Ref,
  reminderNo: Type.Integer({ minimum: 1, description: 'Which reminder this is; the same number twice counts once' }),
}, { additionalProperties: false });
export type RecordSurveyReminderParams = Static<typeof RecordSurveyReminderParams>;

export const SurveyReminderRecorded = Type.Object({ invitationId: Type.String(), status: InvitationStatus, remindersSent: Type.Integer() });
export type SurveyReminderRecorded = Static<typeof SurveyReminderRecorded>;

export const InvitationState = Type.Object({ invitationId: Type.String(), status: InvitationStatus });
export type InvitationState = Static<typeof InvitationState>;

export const AnalyseSurveyResponseParams = Type.Object({
  invitationId: Ref,
  policy: Type.Optional(SurveyAnalysisPolicy),
}, { additionalProperties: false });
export type AnalyseSurveyResponseParams = Static<typeof AnalyseSurveyResponseParams>;

export const SurveyResponseAnalysis = Type.Object({
  invitationId: Type.String(),
  responded: Type.Boolean({ description: 'False when no response exists yet (then score is null and low false)' }),
  score: Type.Union([Type.Number(), Type.Null()], { description: 'Average rating, 2 decimals; null without rating answers' }),
  low: Type.Boolean({ description: 'The average is below policy.lowScoreThreshold' }),
  ratings: Type.Array(RatedQuestion),
  lowAreas: Type.Array(RatedQuestion, { description: 'Questions rated 2 or less' }),
  keywords: Type.Array(Type.String(), { description: 'Policy keywords found in the free-text answers' }),
});
export type SurveyResponseAnalysis = Static<typeof SurveyResponseAnalysis>;

export const OpenFollowUpTicketParams = Type.Object({
  invitationId: Ref,
  reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Added to the ticket body' })),
  policy: Type.Optional(SurveyAnalysisPolicy),
}, { additionalProperties: false });
export type OpenFollowUpTicketParams = Static<typeof OpenFollowUpTicketParams>;

export const FollowUpTicket = Type.Object({
  ticketId: Type.String(),
  created: Type.Boolean({ description: 'False when an earlier call already opened it' }),
});
export type FollowUpTicket = Static<typeof FollowUpTicket>;
