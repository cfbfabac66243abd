import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DryRunResult, DryRunScenario } from '../../contracts/dry-run';
import { MAX_SCENARIOS_PER_TEMPLATE, TemplateScenarioRepository } from '../../db/repositories';
import { scenarioHeld } from '../../simulator/dry-run';
import type { EngineContext } from '../engine-deps';
import { requireRight } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { DateTime } from '../schemas/json-and-paging';
import { Problem, ValidationProblem } from '../schemas/problem';
import { TemplateKeyParam, TemplateProblem } from '../schemas/templates';
import { compileForDryRun, dryRunSource, runDryRun } from '../services/template-dry-run';

const Source = Type.String({
  minLength: 1,
  maxLength: 1_000_000,
  description: 'The template as YAML; default the draft (or, without one, the newest version).',
});
const ScenarioParams = Type.Object({
  ...TemplateKeyParam.properties,
  name: Type.String({ minLength: 1, maxLength: 200, description: 'The scenario’s name.' }),
});
const SavedScenario = Type.Object({
  name: Type.String(),
  scenario: DryRunScenario,
  updatedAt: DateTime,
  updatedBy: Type.String(),
});

/** Dry runs of a template (contract B) and the scenarios saved with it. */
const templateDryRunRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const scenarios = new TemplateScenarioRepository();

  app.post(
    '/templates/:key/dry-run',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Run the template without Temporal and without side effects, against a scenario',
        description:
          'The real interpreter on a simulated server: activities answered from the scenario (or a sample of their result schema, `generated: true`), timers on a virtual clock. A run stops after 5 000 activations or 5 s (an error in the result).',
        params: TemplateKeyParam,
        body: Type.Object({ source: Type.Optional(Source), scenario: DryRunScenario }, { additionalProperties: false }),
        response: { 200: DryRunResult, 400: ValidationProblem, 403: Problem, 404: Problem, 422: TemplateProblem },
      },
    },
    async (request) => {
      requireRight(request, 'templates.write');
      const em = ctx.orm.em.fork();
      const { key } = request.params;
      const plan = await compileForDryRun(ctx, em, key, await dryRunSource(ctx, em, key, request.body.source));
      return runDryRun(ctx, plan, request.body.scenario);
    },
  );

  app.get(
    '/templates/:key/scenarios',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Dry-run scenarios saved with the template, by name',
        params: TemplateKeyParam,
        response: { 200: Type.Object({ items: Type.Array(SavedScenario) }) },
      },
    },
    async (request) => ({ items: await scenarios.list(ctx.orm.em.fork(), request.params.key) }),
  );

  app.put(
    '/templates/:key/scenarios/:name',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Save a dry-run scenario with the template under this name (replacing one of that name)',
        description: `At most ${MAX_SCENARIOS_PER_TEMPLATE} per template (422 \`template-scenarios-limit\`). The URL's name wins over the body's.`,
        params: ScenarioParams,
        body: DryRunScenario,
        response: { 200: SavedScenario, 400: ValidationProblem, 403: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = requireRight(request, 'templates.write');
      const { key, name } = request.params;
      const saved = await scenarios.save(ctx.orm.em.fork(), key, name, request.body, principal.userId);
      if (!saved) {
        throw new ProblemError({
          status: 422,
          type: 'template-scenarios-limit',
          title: 'Unprocessable Content',
          detail: `'${key}' has ${MAX_SCENARIOS_PER_TEMPLATE} scenarios already; delete one first.`,
        });
      }
      return saved;
    },
  );

  app.delete(
    '/templates/:key/scenarios/:name',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Delete a saved dry-run scenario',
        params: ScenarioParams,
        response: { 204: { type: 'null' }, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      requireRight(request, 'templates.write');
      const { key, name } = request.params;
      if (!(await scenarios.delete(ctx.orm.em.fork(), key, name))) {
        throw new ProblemError({
          status: 404,
          type: 'template-scenario-not-found',
          title: 'Not Found',
          detail: `'${key}' has no scenario '${name}'.`,
        });
      }
      reply.code(204);
    },
  );

  app.post(
    '/templates/:key/scenarios/run',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Dry-run every saved scenario of the template against the source (default the draft)',
        description: '`ok`: every expectation held and the run did not fail unless the scenario expects it.',
        params: TemplateKeyParam,
        body: Type.Optional(Type.Object({ source: Type.Optional(Source) }, { additionalProperties: false })),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ name: Type.String(), ok: Type.Boolean(), result: DryRunResult })),
          }),
          400: ValidationProblem,
          403: Problem,
          404: Problem,
          422: TemplateProblem,
        },
      },
    },
    async (request) => {
      requireRight(request, 'templates.write');
      const em = ctx.orm.em.fork();
      const { key } = request.params;
      const plan = await compileForDryRun(ctx, em, key, await dryRunSource(ctx, em, key, request.body?.source));
      const items = [];
      // One after the other: each run has its own budget and the API's event loop stays free between them.
      for (const saved of await scenarios.list(em, key)) {
        const result = await runDryRun(ctx, plan, saved.scenario);
        items.push({ name: saved.name, ok: scenarioHeld(saved.scenario.expect, result), result });
      }
      return { items };
    },
  );
};

export default templateDryRunRoutes;
