import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import { Value } from 'typebox/value';
import { raiseProcessEvent } from '../../../db/repositories/process-events';
import type { ActivityDeps } from '../../deps';
import { SurveyQuestion } from '../../../db/crm-schemas/survey';
import { analyseSurveyAnswers, type SurveyAnalysis, type SurveyAnalysisPolicy } from './survey-analysis';
import type { AnalyseSurveyResponseParams, FollowUpTicket, OpenFollowUpTicketParams, SurveyResponseAnalysis } from './survey-schemas';

interface AnsweredInvitationRow {
  id: string;
  customer_id: string | null;
  email: string;
  survey_name: string;
  questions: unknown;
  response_id: string | null;
  answers: Record<string, unknown> | null;
}

/** The invitation with its survey and, once given, its response. */
async function loadAnsweredInvitation(em: EntityManager, invitationId: string): Promise<AnsweredInvitationRow> {
  const [row] = await em.execute<AnsweredInvitationRow[]>(
    `select i.id, i.customer_id, i.email, s.name as survey_name, s.questions, r.id as response_id, r.answers
       from survey_invitations i join surveys s on s.id = i.survey_id
       left join survey_responses r on r.invitation_id = i.id
      where i.id = ?`,
    [invitationId],
  );
  if (!row) throw ApplicationFailure.create({ type: 'survey.unknown-invitation', message: `no survey invitation ${invitationId}`, nonRetryable: true });
  return row;
}

/** The response read against its survey; null when the customer has not answered yet. */
function analyse(row: AnsweredInvitationRow, policy: SurveyAnalysisPolicy | undefined): SurveyAnalysis | null {
  if (row.response_id === null || row.answers === null) return null;
  // A stored question that no longer fits the format is skipped rather than failing the process.
  const questions = Array.isArray(row.questions) ? row.questions.filter((q) => Value.Check(SurveyQuestion, q)) : [];
  return analyseSurveyAnswers(questions, row.answers, policy);
}

/** Reading survey responses, and turning a poor one into a complaint ticket. */
export function createSurveyFollowUpActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Scores the response (and stores the score on it), finds poorly rated areas and telling words. */
    async 'crm.analyseSurveyResponse'({ invitationId, policy }: AnalyseSurveyResponseParams): Promise<SurveyResponseAnalysis> {
      const em = deps.orm.em.fork();
      const row = await loadAnsweredInvitation(em, invitationId);
      const analysis = analyse(row, policy);
      if (!analysis) return { invitationId, responded: false, score: null, low: false, ratings: [], lowAreas: [], keywords: [] };
      await em.execute('update survey_responses set score = ? where id = ?', [analysis.score, row.response_id]);
      return { invitationId, responded: true, ...analysis };
    },

    /**
     * Opens one complaint ticket about a poor response and raises ticket.opened with it, in one
     * transaction. The ticket id comes from the invitation, so a retry finds the ticket it made.
     */
    async 'crm.openFollowUpTicket'({ invitationId, reason, policy }: OpenFollowUpTicketParams): Promise<FollowUpTicket> {
      const ticketId = `T-FU-${invitationId}`;
      return deps.orm.em.fork().transactional(async (tx) => {
        const row = await loadAnsweredInvitation(tx, invitationId);
        const analysis = analyse(row, policy);
        const [contact] = row.customer_id === null ? [] : await tx.execute<{ id: string }[]>(
          'select id from contacts where customer_id = ? and lower(email) = lower(?) order by is_primary desc, id limit 1',
          [row.customer_id, row.email],
        );
        const at = now().toISOString();
        const inserted = await tx.execute<{ id: string }[]>(
          `insert into tickets (id, customer_id, contact_id, subject, body, category, status, created_at, updated_at)
           values (?, ?, ?, ?, ?, 'complaint', 'open', ?, ?) on conflict (id) do nothing returning id`,
          [ticketId, row.customer_id, contact?.id ?? null, followUpSubject(row.survey_name, analysis), followUpBody(row, analysis, reason), at, at],
        );
        await raiseProcessEvent(tx, 'ticket.opened', { ticketId }, { dedupeKey: ticketId, raisedBy: 'activity:crm.openFollowUpTicket' });
        return { ticketId, created: inserted.length === 1 };
      });
    },
  };
}

function followUpSubject(surveyName: string, analysis: SurveyAnalysis | null): string {
  const score = analysis?.score;
  return score === null || score === undefined
    ? `Low satisfaction (survey ${surveyName})`
    : `Low satisfaction score ${score.toFixed(1)} (survey ${surveyName})`;
}

function followUpBody(row: AnsweredInvitationRow, analysis: SurveyAnalysis | null, reason: string | undefined): string {
  const lines = [`Survey invitation ${row.id} answered by ${row.email}.`];
  if (reason) lines.push('', reason);
  if (analysis && analysis.lowAreas.length > 0) {
    lines.push('', 'Low areas:', ...analysis.lowAreas.map((area) => `- ${area.text}: ${area.rating}/5`));
  }
  if (analysis && analysis.keywords.length > 0) lines.push('', `Keywords: ${analysis.keywords.join(', ')}`);
  if (!analysis) lines.push('', 'No response was recorded.');
  return lines.join('\n');
}
