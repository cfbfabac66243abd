import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Locale } from '../../contracts/locales';
import type { SignedLink } from '../../db/links';
import type { EngineContext } from '../engine-deps';
import { auditActorOf } from '../plugins/audit-context';
import { acceptedLocale } from '../request-locale';
import { ProblemError } from '../problem-error';
import { validationProblem } from '../services/crm/crm-problems';
import {
  actOnTicketLink,
  answerSurveyLink,
  viewOrderLink,
  viewSurveyLink,
  viewTicketLink,
} from '../services/links/customer-links';
import { isLinkUsed, openLink, refuseUsedLink } from '../services/links/link-access';
import { actOnTaskActionLink, viewTaskActionLink } from '../services/links/task-action-link';
import { LinkActionBody, LinkTokenParam, LinkView } from '../schemas/links';
import { Problem, ValidationProblem } from '../schemas/problem';

const LINK_DESCRIPTION =
  "The token is the credential (no sign-in): an unknown or forged token is 404 `link-not-found` and counts as a failed authentication of the caller's IP; an expired one is 410 `link-expired`.";

/** The page's language (it sends it as Accept-Language), else the recipient's, which the link carries. */
function pageLocale(request: FastifyRequest, link: SignedLink): Locale {
  return acceptedLocale(request) ?? link.locale;
}

function linkHeader(link: SignedLink, used: boolean) {
  return { kind: link.kind, locale: link.locale, expiresAt: link.expiresAt.toISOString(), used };
}

/** The pages behind the links in mails: a task's outcome in one click, a customer's survey, ticket or order. */
const linkRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/links/:token',
    {
      config: { permission: 'public', linkToken: true },
      schema: {
        tags: ['links'],
        summary: "What a mail link's page shows",
        description: `${LINK_DESCRIPTION} A used link still shows its page, with \`used: true\`.`,
        params: LinkTokenParam,
        response: { 200: LinkView, 404: Problem, 410: Problem },
      },
    },
    async (request) => {
      const link = openLink(ctx, request.params.token);
      const used = link.kind === 'order' ? false : await isLinkUsed(ctx, link);
      const header = linkHeader(link, used);
      switch (link.kind) {
        case 'task-action':
          return { ...header, ...(await viewTaskActionLink(ctx, link, pageLocale(request, link))) };
        case 'survey':
          return { ...header, ...(await viewSurveyLink(ctx, link)) };
        case 'ticket':
          return { ...header, ...(await viewTicketLink(ctx, link)) };
        case 'order':
          return { ...header, ...(await viewOrderLink(ctx, link)) };
      }
    },
  );

  app.post(
    '/links/:token',
    {
      config: { permission: 'public', linkToken: true },
      schema: {
        tags: ['links'],
        summary: 'Do what a mail link offers, once',
        description:
          `${LINK_DESCRIPTION} task-action (\`{}\`): completes the task with the link's outcome as the mail's recipient (409 \`task-closed\` with \`completedBy\`/\`completedAt\` when someone was first; 422 \`form-required\` when its form has required fields). ` +
          "survey (`{ answers }`): answers it. ticket (`{ action: 'confirm'|'reopen', comment? }`): confirms the resolution or reopens it. order: read-only (405). " +
          'Each link acts once: a second use is 410 `link-used`. Answers the page as it is afterwards.',
        params: LinkTokenParam,
        body: LinkActionBody,
        response: {
          200: LinkView,
          400: ValidationProblem,
          403: Problem,
          404: Problem,
          405: Problem,
          409: Problem,
          410: Problem,
          422: Problem,
        },
      },
    },
    async (request) => {
      const link = openLink(ctx, request.params.token);
      if (link.kind === 'order') {
        throw new ProblemError({
          status: 405,
          type: 'link-read-only',
          title: 'Method Not Allowed',
          detail: 'An order link only shows the order.',
        });
      }
      await refuseUsedLink(ctx, link);
      const where = auditActorOf(request);
      const body = request.body ?? {};
      const header = linkHeader(link, true);
      switch (link.kind) {
        case 'task-action': {
          const { completion: _completion, ...view } = await actOnTaskActionLink(
            ctx,
            link,
            where,
            pageLocale(request, link),
          );
          return { ...header, ...view };
        }
        case 'survey': {
          if (!body.answers) throw validationProblem([{ path: '/answers', message: 'answers are required' }]);
          return { ...header, ...(await answerSurveyLink(ctx, link, body.answers, where, request.log)) };
        }
        case 'ticket': {
          if (!body.action) throw validationProblem([{ path: '/action', message: "must be 'confirm' or 'reopen'" }]);
          const { event: _event, ...view } = await actOnTicketLink(
            ctx,
            link,
            { action: body.action, ...(body.comment === undefined ? {} : { comment: body.comment }) },
            where,
          );
          return { ...header, ...view };
        }
      }
    },
  );
};

export default linkRoutes;
