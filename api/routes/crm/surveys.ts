import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateSurveyInput, SurveyResponseInput, checkSurveyAnswers, checkSurveyQuestions, surveyScore, type SurveyQuestion,
} from '../../../db/crm-schemas';
import {
  getInvitation, getResponseOf, insertSurvey, insertSurveyResponse, listInvitations, listSurveys, toInvitation, toSurvey, toSurveyResponse,
} from '../../../db/repositories/crm/survey-queries';
import type { EngineContext } from '../../engine-deps';
import { callerOf, requireRight } from '../../plugins/auth';
import { ProblemError } from '../../problem-error';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { InvitationListQuery, InvitationPage, Survey, SurveyInvitationView, SurveyListQuery, SurveyPage, SurveyResponse } from '../../schemas/crm/service';
import { newCrmId } from '../../../db/crm/crm-id';
import { conflict, notFound, validationProblem, validCrmBody } from '../../services/crm/crm-problems';
import { signalRunningInstances } from '../../services/crm/signal-process';

const expired = (id: string) => new ProblemError({ status: 410, type: 'survey-invitation-expired', title: 'Gone', detail: `Invitation '${id}' has expired.` });

/** Satisfaction surveys, their invitations and the one response to each. */
const surveyRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post('/surveys', {
    schema: { tags: ['crm'], summary: 'Create a survey (designer, admin)', body: CreateSurveyInput, response: { 201: Survey, 400: ValidationProblem, 403: Problem } },
  }, async (request, reply) => {
    requireRight(request, 'catalogue.write');
    const input = validCrmBody(CreateSurveyInput, request.body);
    const problems = checkSurveyQuestions(input.questions);
    if (problems.length > 0) throw validationProblem(problems);
    reply.code(201);
    return toSurvey(await insertSurvey(ctx.orm.em.fork(), newCrmId('SV'), input));
  });

  app.get('/surveys', {
    schema: { tags: ['crm'], summary: 'List surveys', querystring: SurveyListQuery, response: { 200: SurveyPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listSurveys(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toSurvey), nextCursor: page.nextCursor };
  });

  app.get('/survey-invitations', {
    schema: { tags: ['crm'], summary: 'List survey invitations, newest first', querystring: InvitationListQuery, response: { 200: InvitationPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listInvitations(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toInvitation), nextCursor: page.nextCursor };
  });

  app.get('/survey-invitations/:id', {
    schema: { tags: ['crm'], summary: 'One invitation with the survey\'s questions', params: IdParam, response: { 200: SurveyInvitationView, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    const row = await getInvitation(ctx.orm.em.fork(), request.params.id);
    if (!row) throw notFound('survey-invitation', request.params.id);
    return { ...toInvitation(row), survey: { id: String(row['survey_id']), name: String(row['survey_name']), questions: row['survey_questions'] as unknown[] } };
  });

  app.post('/survey-invitations/:id/responses', {
    schema: {
      tags: ['crm'], summary: 'Answer a survey invitation (once)',
      description: 'Answers are checked against the survey\'s questions (400 listing every problem). Expired: 410. Answered already: 409. '
        + 'Then `survey.responded` goes to the running processes whose business key is the invitation\'s trigger ref.',
      params: IdParam, body: SurveyResponseInput, response: { 201: SurveyResponse, 400: ValidationProblem, 404: Problem, 409: Problem, 410: Problem },
    },
  }, async (request, reply) => {
    callerOf(request);
    const { answers } = validCrmBody(SurveyResponseInput, request.body);
    const id = request.params.id;
    const { row, triggerRef } = await ctx.orm.em.fork().transactional(async (em) => {
      const invitation = await getInvitation(em, id, true);
      if (!invitation) throw notFound('survey-invitation', id);
      if (invitation['status'] === 'responded' || (await getResponseOf(em, id))) throw conflict('survey-already-answered', `Invitation '${id}' has a response already.`);
      const expiresAt = invitation['expires_at'];
      if (invitation['status'] === 'expired' || (expiresAt !== null && expiresAt !== undefined && new Date(String(expiresAt)).getTime() <= Date.now())) throw expired(id);
      const questions = invitation['survey_questions'] as SurveyQuestion[];
      const problems = checkSurveyAnswers(questions, answers);
      if (problems.length > 0) throw validationProblem(problems);
      const inserted = await insertSurveyResponse(em, newCrmId('SR'), id, answers, surveyScore(questions, answers));
      if (!inserted) throw conflict('survey-already-answered', `Invitation '${id}' has a response already.`);
      return { row: inserted, triggerRef: String(invitation['trigger_ref']) };
    });
    const instanceIds = await signalRunningInstances(ctx, { businessKey: triggerRef, event: 'survey.responded', payload: { invitationId: id }, eventId: id })
      .catch((error: unknown) => { request.log.warn({ err: error, invitationId: id }, 'survey.responded not delivered'); return []; });
    reply.code(201);
    return { ...toSurveyResponse(row), processNotified: instanceIds.length > 0 };
  });
};

export default surveyRoutes;
