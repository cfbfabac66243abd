import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RIGHTS, hasRight, type Right } from '../../contracts/roles';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import type { PrincipalBase } from '../principal';
import { ProblemError } from '../problem-error';
import { Problem, ValidationProblem } from '../schemas/problem';
import { MeChange, MeView } from '../schemas/me';

const ALL_RIGHTS = Object.keys(RIGHTS) as Right[];

const isSavedLocale = (value: unknown): value is 'en' | 'zh-CN' => value === 'en' || value === 'zh-CN';

function meView(person: PrincipalBase) {
  const locale = person.attributes['locale'];
  return {
    id: person.userId,
    name: person.name,
    email: person.email,
    roles: person.roles,
    // The app shows what the API would allow, computed from the one role → right table.
    rights: ALL_RIGHTS.filter((right) => hasRight(person.roles, right)),
    locale: isSavedLocale(locale) ? locale : null,
    managerId: person.managerId,
  };
}

/** The caller as the web app needs them: who, which roles and rights, which language. */
const meRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who I am: roles, rights and saved language',
        response: { 200: MeView, 401: Problem },
      },
    },
    async (request) => meView(principalOf(request)),
  );

  app.patch(
    '/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Save my language (`en`, `zh-CN`, or null to follow the browser)',
        body: MeChange,
        response: { 200: MeView, 400: ValidationProblem, 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = await ctx.users.setLocale(ctx.orm.em.fork(), principal.userId, request.body.locale);
      if (!user) {
        throw new ProblemError({
          status: 404,
          type: 'user-not-found',
          title: 'Not Found',
          detail: `There is no user '${principal.userId}'.`,
        });
      }
      return meView({ ...principal, attributes: user.attributes as Record<string, unknown> });
    },
  );
};

export default meRoutes;
