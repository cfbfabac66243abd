import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { Value } from 'typebox/value';
import {
  AnalyseSurveyResponseParams,
  FollowUpTicket,
  OpenFollowUpTicketParams,
  SurveyQuestion,
  SurveyRepository,
  SurveyResponseAnalysis,
  type SurveyAnalysisPolicy,
  type SurveyInvitation,
  type SurveyResponse,
} from '../../../db/crm/surveys';
import { TicketRepository } from '../../../db/crm/tickets';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import { defineActivity } from '../../activity-definition';
import { analyseSurveyAnswers, type SurveyAnalysis } from './survey-analysis';
import { CustomerRepository } from '../../../db/crm/customers';
import { DEFAULT_LOCALE, matchLocale, type Locale } from '../../../contracts/locales';

interface AnsweredInvitation {
  invitation: SurveyInvitation;
  response: SurveyResponse | null;
}

/** The invitation with its survey and, once given, its response. */
async function loadAnsweredInvitation(em: EntityManager, invitationId: string): Promise<AnsweredInvitation> {
  const surveys = new SurveyRepository(em);
  const invitation = await surveys.findInvitation(invitationId);
  if (!invitation)
    throw ApplicationFailure.create({
      type: 'survey.unknown-invitation',
      message: `no survey invitation ${invitationId}`,
      nonRetryable: true,
    });
  return { invitation, response: await surveys.findResponseOf(invitationId) };
}

/** The response read against its survey; null when the customer has not answered yet. */
function analyse(
  { invitation, response }: AnsweredInvitation,
  policy: SurveyAnalysisPolicy | undefined,
): SurveyAnalysis | null {
  if (!response) return null;
  // A stored question that no longer fits the format is skipped rather than failing the process.
  const stored: unknown = invitation.survey.questions;
  const questions = Array.isArray(stored)
    ? stored.filter((q): q is SurveyQuestion => Value.Check(SurveyQuestion, q))
    : [];
  return analyseSurveyAnswers(questions, response.answers, policy);
}

/** Reading survey responses, and turning a poor one into a complaint ticket. */
export const surveyFollowUpActivities = [
  defineActivity({
    name: 'crm.analyseSurveyResponse',
    contract: {
      description:
        'Score a survey response (average rating, stored on the response), list low-rated areas and keywords found in text answers; policy: threshold and keywords.',
      params: AnalyseSurveyResponseParams,
      result: SurveyResponseAnalysis,
    },
    /** Scores the response (and stores the score on it), finds poorly rated areas and telling words. */
    async run({ invitationId, policy }, deps) {
      const em = deps.orm.em.fork();
      const answered = await loadAnsweredInvitation(em, invitationId);
      const analysis = analyse(answered, policy);
      if (!analysis || !answered.response)
        return { invitationId, responded: false, score: null, low: false, ratings: [], lowAreas: [], keywords: [] };
      await new SurveyRepository(em).storeScore(answered.response, analysis.score);
      return { invitationId, responded: true, ...analysis };
    },
  }),

  defineActivity({
    name: 'crm.openFollowUpTicket',
    contract: {
      description: 'Open one complaint ticket about a poor survey response and raise ticket.opened for it.',
      params: OpenFollowUpTicketParams,
      result: FollowUpTicket,
    },
    /**
     * Opens one complaint ticket about a poor response and raises ticket.opened with it, in one
     * transaction. The ticket id comes from the invitation (`T-FU-<invitation>`, not a minted
     * `T-…`), so a retry finds the ticket it made. It is written in the customer's language.
     */
    async run({ invitationId, reason, policy }, deps) {
      const ticketId = `T-FU-${invitationId}`;
      const now = deps.now ?? (() => new Date());
      return deps.orm.em.fork().transactional(async (tx) => {
        const answered = await loadAnsweredInvitation(tx, invitationId);
        const { invitation } = answered;
        const analysis = analyse(answered, policy);
        const customerId = invitation.customer?.id ?? null;
        if (invitation.customer) await tx.populate(invitation, ['customer']);
        const locale = matchLocale(invitation.customer?.locale) ?? DEFAULT_LOCALE;
        const contactId =
          customerId === null
            ? null
            : ((await new CustomerRepository(tx).findContactByAddress({ customerId, email: invitation.email }))?.id ??
              null);
        const created = await new TicketRepository(tx).createOnce(
          ticketId,
          {
            customerId,
            contactId,
            subject: followUpSubject(invitation.survey.name, analysis, locale),
            body: followUpBody(invitation, analysis, reason, locale),
            category: 'complaint',
            status: 'open',
          },
          now(),
        );
        await raiseProcessEvent(
          tx,
          'ticket.opened',
          { ticketId },
          { dedupeKey: ticketId, raisedBy: 'activity:crm.openFollowUpTicket' },
        );
        return { ticketId, created };
      });
    },
  }),
] as const;

/** The follow-up ticket's own words, in the customer's language: the ticket is theirs and its mails quote it. */
const FOLLOW_UP_TEXTS: Record<
  Locale,
  {
    subject: (survey: string, score: string | null) => string;
    answered: (invitationId: string, email: string) => string;
    lowAreas: string;
    keywords: (words: string[]) => string;
    noResponse: string;
  }
> = {
  en: {
    subject: (survey, score) =>
      score === null ? `Low satisfaction (survey ${survey})` : `Low satisfaction score ${score} (survey ${survey})`,
    answered: (invitationId, email) => `Survey invitation ${invitationId} answered by ${email}.`,
    lowAreas: 'Low areas:',
    keywords: (words) => `Keywords: ${words.join(', ')}`,
    noResponse: 'No response was recorded.',
  },
  'zh-CN': {
    subject: (survey, score) =>
      score === null ? `满意度低（调查“${survey}”）` : `满意度评分低：${score} 分（调查“${survey}”）`,
    answered: (invitationId, email) => `调查邀请 ${invitationId} 已由 ${email} 填写。`,
    lowAreas: '评分低的方面：',
    keywords: (words) => `关键词：${words.join('、')}`,
    noResponse: '未收到答复。',
  },
};

function followUpSubject(surveyName: string, analysis: SurveyAnalysis | null, locale: Locale): string {
  const score = analysis?.score;
  return FOLLOW_UP_TEXTS[locale].subject(surveyName, score === null || score === undefined ? null : score.toFixed(1));
}

function followUpBody(
  invitation: SurveyInvitation,
  analysis: SurveyAnalysis | null,
  reason: string | undefined,
  locale: Locale,
): string {
  const texts = FOLLOW_UP_TEXTS[locale];
  const lines = [texts.answered(invitation.id, invitation.email)];
  if (reason) lines.push('', reason);
  if (analysis && analysis.lowAreas.length > 0) {
    lines.push('', texts.lowAreas, ...analysis.lowAreas.map((area) => `- ${area.text}: ${area.rating}/5`));
  }
  if (analysis && analysis.keywords.length > 0) lines.push('', texts.keywords(analysis.keywords));
  if (!analysis) lines.push('', texts.noResponse);
  return lines.join('\n');
}
