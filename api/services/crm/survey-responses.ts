import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import {
  SurveyRepository,
  checkSurveyAnswers,
  surveyScore,
  type SurveyAnswers,
  type SurveyQuestion,
  type SurveyResponseRecord,
} from '../../../db/crm/surveys';
import type { EngineContext } from '../../engine-deps';
import { ProblemError } from '../../problem-error';
import { conflict, notFound, validationProblem } from './crm-problems';
import { signalRunningInstances } from './signal-process';

const expired = (id: string) =>
  new ProblemError({
    status: 410,
    type: 'survey-invitation-expired',
    title: 'Gone',
    detail: `Invitation '${id}' has expired.`,
  });
const answeredAlready = (id: string) =>
  conflict('survey-already-answered', `Invitation '${id}' has a response already.`);

/**
 * Answers an invitation once: answers checked against its survey's questions (400 listing every
 * problem), 410 once expired, 409 once answered; then `survey.responded` goes to the running
 * processes whose business key is the invitation's trigger ref. `within` runs in the response's
 * transaction (a mail link marks itself used there), so either both stand or neither does.
 */
export async function answerSurveyInvitation(
  ctx: EngineContext,
  id: string,
  answers: SurveyAnswers,
  log: FastifyBaseLogger,
  within?: (em: EntityManager) => Promise<void>,
): Promise<SurveyResponseRecord & { processNotified: boolean }> {
  const { response, triggerRef } = await ctx.orm.em.fork().transactional(async (em) => {
    const surveys = new SurveyRepository(em);
    const invitation = await surveys.lockInvitation(id);
    if (!invitation) throw notFound('survey-invitation', id);
    if (invitation.status === 'responded' || (await surveys.findResponseOf(id))) throw answeredAlready(id);
    if (invitation.status === 'expired' || (invitation.expiresAt && invitation.expiresAt.getTime() <= Date.now()))
      throw expired(id);
    const questions = invitation.survey.questions as SurveyQuestion[];
    const problems = checkSurveyAnswers(questions, answers);
    if (problems.length > 0) throw validationProblem(problems);
    if (within) await within(em);
    const stored = await surveys.respond(invitation, answers, surveyScore(questions, answers));
    if (!stored) throw answeredAlready(id);
    return { response: surveys.toResponseRecord(stored), triggerRef: invitation.triggerRef };
  });
  const instanceIds = await signalRunningInstances(ctx, {
    businessKey: triggerRef,
    event: 'survey.responded',
    payload: { invitationId: id },
    eventId: id,
  }).catch((error: unknown) => {
    log.warn({ err: error, invitationId: id }, 'survey.responded not delivered');
    return [];
  });
  return { ...response, processNotified: instanceIds.length > 0 };
}
