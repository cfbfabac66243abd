import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../../dsl/plan';

/** A satisfaction survey; `questions` holds choice, rating (1–5) and text questions. */
export const SurveySchema = defineEntity({
  name: 'Survey',
  tableName: 'surveys',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    questions: p.json<Json[]>().onCreate(() => []),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Survey extends SurveySchema.class {}
SurveySchema.setClass(Survey);

export type SurveyInvitationStatus = 'sent' | 'reminded' | 'responded' | 'expired';

/** One recipient's invitation; unique per (survey, trigger, e-mail), so a re-sent trigger invites once. */
export const SurveyInvitationSchema = defineEntity({
  name: 'SurveyInvitation',
  tableName: 'survey_invitations',
  properties: {
    id: p.text().primary(),
    surveyId: p.text(),
    customerId: p.text().nullable(),
    email: p.text(),
    /** What caused it, e.g. `ticket:tick-1` or `order:ord-7`. */
    triggerRef: p.text(),
    status: p.text().$type<SurveyInvitationStatus>().default('sent'),
    remindersSent: p.integer().default(0),
    sentAt: p.datetime().onCreate(() => new Date()),
    lastRemindedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['surveyId', 'triggerRef', 'email'] }],
});
export class SurveyInvitation extends SurveyInvitationSchema.class {}
SurveyInvitationSchema.setClass(SurveyInvitation);

/** The one response to an invitation. */
export const SurveyResponseSchema = defineEntity({
  name: 'SurveyResponse',
  tableName: 'survey_responses',
  properties: {
    id: p.text().primary(),
    invitationId: p.text().unique(),
    answers: p.json<Record<string, Json>>(),
    score: p.decimal('number').precision(4).scale(2).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class SurveyResponse extends SurveyResponseSchema.class {}
SurveyResponseSchema.setClass(SurveyResponse);
