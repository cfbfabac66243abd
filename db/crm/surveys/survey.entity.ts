import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../../dsl/plan';
import { Customer } from '../customers/customer.entity';
import type { InvitationStatus } from './survey.schema';

/** A satisfaction survey; `questions` holds choice, rating (1–5) and text questions (SurveyQuestion). */
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

/** One recipient's invitation; unique per (survey, trigger, e-mail), so a re-sent trigger invites once. */
export const SurveyInvitationSchema = defineEntity({
  name: 'SurveyInvitation',
  tableName: 'survey_invitations',
  properties: {
    id: p.text().primary(),
    survey: () => p.manyToOne(Survey),
    customer: () => p.manyToOne(Customer).nullable(),
    email: p.text(),
    /** What caused it, e.g. `ticket:T-…` or `order:O-…`. */
    triggerRef: p.text(),
    status: p.text().$type<InvitationStatus>().default('sent'),
    remindersSent: p.integer().default(0),
    sentAt: p.datetime().onCreate(() => new Date()),
    lastRemindedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['survey', 'triggerRef', 'email'] }],
});
export class SurveyInvitation extends SurveyInvitationSchema.class {}
SurveyInvitationSchema.setClass(SurveyInvitation);

/** The one response to an invitation. */
export const SurveyResponseSchema = defineEntity({
  name: 'SurveyResponse',
  tableName: 'survey_responses',
  properties: {
    id: p.text().primary(),
    invitation: () => p.oneToOne(SurveyInvitation).owner(),
    answers: p.json<Record<string, Json>>(),
    score: p.decimal('number').precision(4).scale(2).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class SurveyResponse extends SurveyResponseSchema.class {}
SurveyResponseSchema.setClass(SurveyResponse);
