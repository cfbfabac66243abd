import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { DomainError } from '../../contracts/failures';
import { hasRight } from '../../contracts/roles';
import { OutOfOfficeRepository, type OutOfOffice } from '../../db/users';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import { DateTime } from '../schemas/json-and-paging';
import { Problem } from '../schemas/problem';

const OutOfOfficeBody = Type.Object(
  {
    startsAt: DateTime,
    endsAt: { ...DateTime, description: 'Exclusive; after startsAt.' },
    delegateId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "An active user holding one of the absent person's roles, who takes the tasks that open for them.",
    }),
  },
  { additionalProperties: false },
);

const OutOfOfficeRule = Type.Object({
  userId: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  delegateId: Type.String(),
  /** Whether the rule is in force now. */
  active: Type.Boolean(),
  createdAt: DateTime,
});

const UserIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

function ruleBody(rule: OutOfOffice, now: Date) {
  return {
    userId: rule.userId,
    startsAt: rule.startsAt.toISOString(),
    endsAt: rule.endsAt.toISOString(),
    delegateId: rule.delegateId,
    active: rule.startsAt <= now && now < rule.endsAt,
    createdAt: rule.createdAt.toISOString(),
  };
}

/**
 * Out-of-office rules: while one is in force, a task that opens assigned to the person goes to
 * their delegate (engine.openTask). People set their own (`tasks.work`); administrators anyone's.
 */
const outOfOfficeRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const rules = new OutOfOfficeRepository();

  async function put(userId: string, body: Static<typeof OutOfOfficeBody>) {
    const em = ctx.orm.em.fork();
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    if (!(endsAt > startsAt)) throw new DomainError('out-of-office.invalid', 'endsAt must be after startsAt.');
    const [person, delegate] = await Promise.all([ctx.users.get(em, userId), ctx.users.get(em, body.delegateId)]);
    if (!person) throw new DomainError('out-of-office.not-found', `No user '${userId}'.`);
    if (!delegate || !delegate.active || delegate.id === person.id) {
      throw new DomainError(
        'out-of-office.invalid',
        `'${body.delegateId}' is not an active user other than ${userId}.`,
      );
    }
    // Whoever covers must be able to work the person's tasks: a shared inbox role.
    const shared = person.roles.filter((role) => hasRight([role], 'tasks.work') && delegate.roles.includes(role));
    if (shared.length === 0) {
      throw new DomainError('out-of-office.invalid', `${delegate.id} holds none of the roles of ${userId}.`);
    }
    return ruleBody(await rules.put(em, { userId, startsAt, endsAt, delegateId: delegate.id }), new Date());
  }

  async function get(userId: string) {
    const rule = await rules.get(ctx.orm.em.fork(), userId);
    if (!rule) throw new DomainError('out-of-office.not-found', `No out-of-office rule for ${userId}.`);
    return ruleBody(rule, new Date());
  }

  async function remove(userId: string): Promise<void> {
    if (!(await rules.remove(ctx.orm.em.fork(), userId))) {
      throw new DomainError('out-of-office.not-found', `No out-of-office rule for ${userId}.`);
    }
  }

  const tags = ['tasks'];
  for (const who of ['me', 'admin'] as const) {
    const url = who === 'me' ? '/users/me/out-of-office' : '/users/:id/out-of-office';
    const permission = who === 'me' ? 'tasks.work' : 'users.manage';
    const params = who === 'me' ? {} : { params: UserIdParam };
    const whose = who === 'me' ? 'My' : "A user's (administrators)";
    const userIdOf = (request: { params: unknown }) =>
      who === 'me' ? principalOf(request as never).userId : (request.params as Static<typeof UserIdParam>).id;

    app.put(
      url,
      {
        config: { permission },
        schema: {
          tags,
          summary: `${whose} out-of-office rule: from–to and who takes the tasks that open meanwhile`,
          ...params,
          body: OutOfOfficeBody,
          response: { 200: OutOfOfficeRule, 403: Problem, 404: Problem, 422: Problem },
        },
      },
      async (request) => put(userIdOf(request), request.body),
    );
    app.get(
      url,
      {
        config: { permission },
        schema: {
          tags,
          summary: `${whose} out-of-office rule`,
          ...params,
          response: { 200: OutOfOfficeRule, 404: Problem },
        },
      },
      async (request) => get(userIdOf(request)),
    );
    app.delete(
      url,
      {
        config: { permission },
        schema: {
          tags,
          summary: `Remove ${whose.toLowerCase()} out-of-office rule`,
          ...params,
          response: { 204: Type.Null(), 404: Problem },
        },
      },
      async (request, reply) => {
        await remove(userIdOf(request));
        return reply.code(204).send(null);
      },
    );
  }
};

export default outOfOfficeRoutes;
