import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { POLICY_RULES, isPolicyRule } from '../../activities/crm/rule-activities';
import { ROLES } from '../../contracts/roles';
import { TRIGGER_EVENTS } from '../../dsl/trigger-events';
import type { ProcessPlan } from '../../dsl/plan';
import type { EngineContext } from '../engine-deps';
import { requireRight } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { Problem } from '../schemas/problem';
import {
  BacktestBody,
  BacktestResult,
  Published,
  RollbackBody,
  TemplateImpact,
  TemplateKeyParam,
  TemplateLanguage,
  TemplateProblem,
  WhatIfBody,
  WhatIfResult,
} from '../schemas/templates';
import { backtestRuleStep } from '../services/policy-backtest';
import { compileTrialSource, decideRuleStep, publishedRuleStep, ruleStepOf } from '../services/policy-rule-trial';
import { recordApiAction } from '../services/request-audit';
import { publishTemplateSource } from '../services/template-publishing';

const notFound = (detail: string) =>
  new ProblemError({ status: 404, type: 'template-not-found', title: 'Not Found', detail });

/**
 * What the template studio needs beyond drafts and versions: the language to complete from,
 * the impact of publishing, rollback, and trying a policy rule step of a draft (what-if,
 * backtest) before publishing it.
 */
const templateStudioRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/template-language',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'What the template editor completes: activities, roles, trigger events and templates',
        response: { 200: TemplateLanguage },
      },
    },
    async () => {
      const templates = await ctx.templates.listTemplates(ctx.orm.em.fork());
      return {
        activities: Object.entries(ctx.catalog)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, contract]) => ({
            name,
            description: contract.description,
            params: contract.params as Record<string, unknown>,
            result: contract.result as Record<string, unknown>,
            ...(isPolicyRule(name) ? { rule: POLICY_RULES[name] } : {}),
          })),
        roles: Object.entries(ROLES).map(([name, description]) => ({ name, description })),
        triggerEvents: Object.entries(TRIGGER_EVENTS).map(([event, payload]) => ({
          event,
          description: `Its payload, the started instance's input: ${Object.entries(
            payload.properties as Record<string, { type?: string }>,
          )
            .map(([name, schema]) => `${name} (${schema.type ?? 'any'})`)
            .join(', ')}`,
        })),
        templates: templates.map((t) => ({ key: t.key, name: t.name ?? t.key })),
      };
    },
  );

  app.get(
    '/templates/:key/impact',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Instances running per version and the steps they wait at (shown before publishing)',
        params: TemplateKeyParam,
        response: { 200: TemplateImpact },
      },
    },
    async (request) => {
      const { key } = request.params;
      const em = ctx.orm.em.fork();
      const [latest, running] = await Promise.all([
        ctx.templates.latest(em, key),
        ctx.templates.runningInstances(em, key),
      ]);
      // An instance "runs" its enclosing forEach, switch … too; where it waits is the innermost step.
      const versions = await Promise.all(
        running.map(async (v) => {
          const plan = (await ctx.templates.getVersion(em, key, v.version))?.plan;
          const containers = plan ? containerStepIds(plan) : new Set<string>();
          return { ...v, waiting: v.waiting.filter((w) => !containers.has(w.stepId)) };
        }),
      );
      return { key, latestVersion: latest?.version ?? null, versions };
    },
  );

  app.post(
    '/templates/:key/rollback',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Publish the content of an earlier version as the next version (new instances start on it)',
        params: TemplateKeyParam,
        body: RollbackBody,
        response: { 200: Published, 201: Published, 403: Problem, 404: Problem, 422: TemplateProblem },
      },
    },
    async (request, reply) => {
      const principal = requireRight(request, 'templates.write');
      const { key } = request.params;
      const em = ctx.orm.em.fork();
      const target = await ctx.templates.getVersion(em, key, request.body.to);
      if (!target) throw notFound(`No version ${request.body.to} of '${key}'.`);
      const published = await publishTemplateSource(ctx, em, key, target.source, principal.userId);
      await recordApiAction(ctx.orm, 'TemplateVersion.rollback', `template_version:${key}:${published.version}`, {
        key,
        to: target.version,
        version: published.version,
        created: published.created,
      });
      reply.code(published.created ? 201 : 200);
      return published;
    },
  );

  app.post(
    '/templates/:key/what-if',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: "Run a policy rule step of the draft (and of the newest version) on a request of one's own",
        params: TemplateKeyParam,
        body: WhatIfBody,
        response: { 200: WhatIfResult, 404: Problem, 422: Type.Union([TemplateProblem, Problem]) },
      },
    },
    async (request) => {
      const { key } = request.params;
      const em = ctx.orm.em.fork();
      const draft = ruleStepOf(await compileTrialSource(ctx, em, key, request.body.source), request.body.stepId);
      const result = await decideRuleStep(draft, request.body.request);
      const latest = await ctx.templates.latest(em, key);
      const publishedStep = latest && publishedRuleStep(latest.plan as ProcessPlan, draft.stepId);
      return {
        stepId: draft.stepId,
        activity: draft.activity,
        policy: draft.policy,
        result,
        published:
          latest && publishedStep
            ? { version: latest.version, result: await decideRuleStep(publishedStep, request.body.request) }
            : null,
      };
    },
  );

  app.post(
    '/templates/:key/backtest',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary:
          "Judge the newest stored records (quotes, tickets) again under a draft rule step's policy and the published one",
        params: TemplateKeyParam,
        body: BacktestBody,
        response: { 200: BacktestResult, 403: Problem, 404: Problem, 422: Type.Union([TemplateProblem, Problem]) },
      },
    },
    async (request) => {
      const { key } = request.params;
      const em = ctx.orm.em.fork();
      const draft = ruleStepOf(await compileTrialSource(ctx, em, key, request.body.source), request.body.stepId);
      const latest = await ctx.templates.latest(em, key);
      const published = latest && publishedRuleStep(latest.plan as ProcessPlan, draft.stepId);
      const { records, withheld, items } = await backtestRuleStep(
        ctx,
        request,
        draft,
        published,
        request.body.limit ?? 100,
      );
      return {
        stepId: draft.stepId,
        activity: draft.activity,
        records,
        withheld,
        total: items.length,
        changed: items.filter((item) => item.changed).length,
        items,
      };
    },
  );
};

const CONTAINER_KINDS = new Set(['switch', 'parallel', 'forEach', 'repeat']);

/** Ids of the plan's steps that hold other steps. */
function containerStepIds(plan: ProcessPlan): Set<string> {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null) {
      const node = value as { kind?: unknown; id?: unknown; with?: unknown };
      if (typeof node.kind === 'string' && CONTAINER_KINDS.has(node.kind) && typeof node.id === 'string')
        ids.add(node.id);
      for (const [name, item] of Object.entries(value)) if (name !== 'with') visit(item);
    }
  };
  visit([plan.steps, plan.onFailure]);
  return ids;
}

export default templateStudioRoutes;
