import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreateSurveyInput,
  SurveyInvitationRecord,
  SurveyInvitationView,
  SurveyRecord,
  SurveyRepository,
  SurveyResponseInput,
  SurveyResponseReceived,
  checkSurveyQuestions,
} from '../../../db/crm/surveys';
import { withoutContactFields } from '../../access/contact-fields';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf, requireRight } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { notFound, validationProblem, validCrmBody } from '../../services/crm/crm-problems';
import { answerSurveyInvitation } from '../../services/crm/survey-responses';

const SurveyListQuery = Type.Object(
  { active: Type.Optional(Type.Boolean()), ...PageQuery },
  { additionalProperties: false },
);
const SurveyPage = CrmPage(SurveyRecord);
const InvitationListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    surveyId: Type.Optional(Type.String()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const InvitationPage = CrmPage(SurveyInvitationRecord);

/** An invitation as the principal may see it: the invited address only with contacts.read. */
function invitationFor<T extends { email?: string }>(principal: Principal, invitation: T): T {
  return withoutContactFields(principal, invitation, ['email']);
}

/** Satisfaction surveys, their invitations and the one response to each. */
const surveyRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/surveys',
    {
      config: { permission: 'surveys.write' },
      schema: {
        tags: ['crm'],
        summary: 'Create a survey (designer, admin)',
        body: CreateSurveyInput,
        response: { 201: SurveyRecord, 400: ValidationProblem, 403: Problem },
      },
    },
    async (request, reply) => {
      requireRight(request, 'catalogue.write');
      const input = validCrmBody(CreateSurveyInput, request.body);
      const problems = checkSurveyQuestions(input.questions);
      if (problems.length > 0) throw validationProblem(problems);
      const surveys = new SurveyRepository(ctx.orm.em.fork());
      reply.code(201);
      return surveys.toSurveyRecord(await surveys.createSurvey(input));
    },
  );

  app.get(
    '/surveys',
    {
      config: { permission: 'surveys.read' },
      schema: {
        tags: ['crm'],
        summary: 'List surveys',
        querystring: SurveyListQuery,
        response: { 200: SurveyPage, 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const surveys = new SurveyRepository(ctx.orm.em.fork());
      const page = await surveys.listSurveys(request.query);
      return { items: page.items.map((survey) => surveys.toSurveyRecord(survey)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/survey-invitations',
    {
      config: { permission: 'surveys.read' },
      schema: {
        tags: ['crm'],
        summary: 'List survey invitations, newest first',
        querystring: InvitationListQuery,
        response: { 200: InvitationPage, 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const surveys = new SurveyRepository(ctx.orm.em.fork());
      const page = await surveys.listInvitations(request.query);
      return {
        items: page.items.map((invitation) => invitationFor(principal, surveys.toInvitationRecord(invitation))),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/survey-invitations/:id',
    {
      config: { permission: 'surveys.read' },
      schema: {
        tags: ['crm'],
        summary: "One invitation with the survey's questions",
        params: IdParam,
        response: { 200: SurveyInvitationView, 404: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const surveys = new SurveyRepository(ctx.orm.em.fork());
      const invitation = await surveys.findInvitation(request.params.id);
      if (!invitation) throw notFound('survey-invitation', request.params.id);
      return invitationFor(principal, surveys.toInvitationView(invitation));
    },
  );

  app.post(
    '/survey-invitations/:id/responses',
    {
      config: { permission: 'surveys.respond' },
      schema: {
        tags: ['crm'],
        summary: 'Answer a survey invitation (once)',
        description:
          "Answers are checked against the survey's questions (400 listing every problem). Expired: 410. Answered already: 409. " +
          "Then `survey.responded` goes to the running processes whose business key is the invitation's trigger ref.",
        params: IdParam,
        body: SurveyResponseInput,
        response: { 201: SurveyResponseReceived, 400: ValidationProblem, 404: Problem, 409: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      principalOf(request);
      const { answers } = validCrmBody(SurveyResponseInput, request.body);
      const received = await answerSurveyInvitation(ctx, request.params.id, answers, request.log);
      reply.code(201);
      return received;
    },
  );
};

export default surveyRoutes;
