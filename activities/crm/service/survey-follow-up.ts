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
     * `T-…`), so a retry finds the ticket it made.
     */
    async run({ invitationId, reason, policy }, deps) {
      const ticketId = `T-FU-${invitationId}`;
      const now = deps.now ?? (() => new Date());
      return deps.orm.em.fork().transactional(async (tx) => {
        const answered = await loadAnsweredInvitation(tx, invitationId);
        const { invitation } = answered;
        const analysis = analyse(answered, policy);
        const customerId = invitation.customer?.id ?? null;
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
            subject: followUpSubject(invitation.survey.name, analysis),
            body: followUpBody(invitation, analysis, reason),
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

function followUpSubject(surveyName: string, analysis: SurveyAnalysis | null): string {
  const score = analysis?.score;
  return score === null || score === undefined
    ? `Low satisfaction (survey ${surveyName})`
    : `Low satisfaction score ${score.toFixed(1)} (survey ${surveyName})`;
}

function followUpBody(
  invitation: SurveyInvitation,
  analysis: SurveyAnalysis | null,
  reason: string | undefined,
): string {
  const lines = [`Survey invitation ${invitation.id} answered by ${invitation.email}.`];
  if (reason) lines.push('', reason);
  if (analysis && analysis.lowAreas.length > 0) {
    lines.push('', 'Low areas:', ...analysis.lowAreas.map((area) => `- ${area.text}: ${area.rating}/5`));
  }
  if (analysis && analysis.keywords.length > 0) lines.push('', `Keywords: ${analysis.keywords.join(', ')}`);
  if (!analysis) lines.push('', 'No response was recorded.');
  return lines.join('\n');
}
