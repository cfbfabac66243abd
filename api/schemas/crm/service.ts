import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';
import { StartedProcesses } from './common';

const NullableIso = Type.Union([Iso, Type.Null()]);

export const Ticket = CrmRecord({
  customerId: NullableText, contactId: NullableText, subject: Type.String(), body: Type.String(), category: Type.String(),
  priority: Type.String(), status: Type.String({ description: 'open | acknowledged | in-progress | resolved | closed | reopened' }),
  queue: NullableText, assigneeId: NullableText, redAlert: Type.Boolean(), responseDueAt: NullableIso, resolutionDueAt: NullableIso,
  respondedAt: NullableIso, resolvedAt: NullableIso, closedAt: NullableIso, resolution: NullableText, createdAt: Iso, updatedAt: Iso,
}, 'A service ticket.');
export const CreatedTicket = Type.Object({ ticket: Ticket, ...StartedProcesses });
export const TicketListQuery = Type.Object({
  status: Type.Optional(Type.String()), customerId: Type.Optional(Type.String()), assigneeId: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()), priority: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const TicketPage = CrmPage(Ticket);

export const Survey = CrmRecord({ name: Type.String(), questions: Type.Array(Type.Unknown()), active: Type.Boolean(), createdAt: Iso }, 'A satisfaction survey.');
export const SurveyListQuery = Type.Object({ active: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false });
export const SurveyPage = CrmPage(Survey);

const invitationFields = {
  surveyId: Type.String(), customerId: NullableText, email: Type.String(), triggerRef: Type.String(),
  status: Type.String({ description: 'sent | reminded | responded | expired' }), remindersSent: Type.Integer(),
  sentAt: Iso, lastRemindedAt: NullableIso, expiresAt: NullableIso,
};
export const SurveyInvitation = CrmRecord(invitationFields, 'An invitation to answer a survey.');
export const SurveyInvitationView = CrmRecord({
  ...invitationFields,
  survey: Type.Object({ id: Type.String(), name: Type.String(), questions: Type.Array(Type.Unknown()) }),
}, 'An invitation with the survey\'s questions.');
export const InvitationListQuery = Type.Object({
  customerId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), surveyId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const InvitationPage = CrmPage(SurveyInvitation);
export const SurveyResponse = CrmRecord({
  invitationId: Type.String(), answers: Type.Record(Type.String(), Type.Unknown()), score: Type.Union([Type.Number(), Type.Null()]), createdAt: Iso,
  processNotified: Type.Boolean(),
}, 'The stored response; `processNotified` says whether a running process took survey.responded.');
