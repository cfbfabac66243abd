import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createTwoFilesPatch } from 'diff';
import { TEMPLATE_SCHEMA } from '../../dsl/schema';
import type { ProcessPlan } from '../../dsl/plan';
import type { EngineContext } from '../engine-deps';
import { principalOf, requireRight } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { JsonObject } from '../schemas/json-and-paging';
import { Problem } from '../schemas/problem';
import {
  DiffQuery,
  DraftSaved,
  Published,
  TemplateDetail,
  TemplateKeyParam,
  TemplateProblem,
  TemplateSummary,
  ValidationResult,
  VersionDetail,
  VersionDiff,
  VersionSummary,
} from '../schemas/templates';
import { assertCompiled, compileAgainstRegistry } from '../services/template-compiler';
import { assertTemplateKey, publishTemplateSource } from '../services/template-publishing';

const YamlBody = Type.String({
  description: 'The template as YAML (Content-Type application/yaml or text/plain).',
  maxLength: 1_000_000,
});
const DIFF_TIMEOUT_MS = 1000;
const notFound = (detail: string) =>
  new ProblemError({ status: 404, type: 'template-not-found', title: 'Not Found', detail });

/** Template drafts, validation, publishing and versions; writes need the designer role. */
const templateRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/schema/template',
    {
      config: { permission: 'public' },
      schema: { tags: ['templates'], summary: 'JSON Schema of process templates', response: { 200: JsonObject } },
    },
    async () => TEMPLATE_SCHEMA as Record<string, unknown>,
  );

  app.get(
    '/templates',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'List templates',
        response: { 200: Type.Object({ items: Type.Array(TemplateSummary) }) },
      },
    },
    async () => {
      const items = await ctx.templates.listTemplates(ctx.orm.em.fork());
      return {
        items: items.map((t) => ({
          key: t.key,
          name: t.name ?? t.key,
          latestVersion: t.latestVersion,
          draftUpdatedAt: t.draftUpdatedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get(
    '/templates/:key',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Get a template and its draft',
        params: TemplateKeyParam,
        response: { 200: TemplateDetail, 404: Problem },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const [draft, latest] = await Promise.all([
        ctx.templates.getDraft(em, request.params.key),
        ctx.templates.latest(em, request.params.key),
      ]);
      if (!draft && !latest) throw notFound(`No template '${request.params.key}'.`);
      return {
        key: request.params.key,
        name: (latest?.plan as ProcessPlan | undefined)?.name ?? draft?.name ?? request.params.key,
        latestVersion: latest?.version ?? null,
        draft: draft
          ? { source: draft.source, updatedAt: draft.updatedAt.toISOString(), updatedBy: draft.updatedBy }
          : null,
      };
    },
  );

  app.put(
    '/templates/:key/draft',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary: 'Create or update the draft (saved even with errors, which come back as diagnostics)',
        params: TemplateKeyParam,
        body: YamlBody,
        response: { 200: DraftSaved, 403: Problem },
      },
    },
    async (request) => {
      const principal = requireRight(request, 'templates.write');
      const em = ctx.orm.em.fork();
      const outcome = await compileAgainstRegistry(ctx, em, request.body);
      const draft = await ctx.templates.saveDraft(
        em,
        request.params.key,
        request.body,
        principal.userId,
        outcome.plan?.name ?? null,
      );
      return {
        key: draft.key,
        updatedAt: draft.updatedAt.toISOString(),
        valid: outcome.diagnostics.every((d) => d.severity !== 'error'),
        diagnostics: outcome.diagnostics,
      };
    },
  );

  app.post(
    '/templates/:key/validate',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Validate the draft, or the YAML in the body',
        params: TemplateKeyParam,
        body: Type.Optional(YamlBody),
        response: { 200: ValidationResult, 404: Problem, 422: TemplateProblem },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const source = request.body || (await ctx.templates.getDraft(em, request.params.key))?.source;
      if (!source) throw notFound(`No draft of '${request.params.key}' and no YAML in the body.`);
      const outcome = await compileAgainstRegistry(ctx, em, source);
      const plan = assertCompiled(outcome, `Template '${request.params.key}'`);
      assertTemplateKey(plan, request.params.key);
      return { valid: true as const, diagnostics: outcome.diagnostics, plan };
    },
  );

  app.post(
    '/templates/:key/publish',
    {
      config: { permission: 'templates.write' },
      schema: {
        tags: ['templates'],
        summary:
          'Publish the draft as a new immutable version (content equal to the newest version: that one, 200; equal to an older one: the next version, as a rollback)',
        params: TemplateKeyParam,
        response: { 200: Published, 201: Published, 403: Problem, 404: Problem, 422: TemplateProblem },
      },
    },
    async (request, reply) => {
      const principal = requireRight(request, 'templates.write');
      const em = ctx.orm.em.fork();
      const draft = await ctx.templates.getDraft(em, request.params.key);
      if (!draft) throw notFound(`No draft of '${request.params.key}' to publish.`);
      const published = await publishTemplateSource(ctx, em, draft.key, draft.source, principal.userId);
      reply.code(published.created ? 201 : 200);
      return published;
    },
  );

  app.get(
    '/templates/:key/versions',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Published versions, newest first',
        params: TemplateKeyParam,
        response: { 200: Type.Object({ items: Type.Array(VersionSummary) }) },
      },
    },
    async (request) => {
      const items = await ctx.templates.listVersions(ctx.orm.em.fork(), request.params.key);
      return { items: items.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })) };
    },
  );

  app.get(
    '/templates/:key/versions/:version',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'One published version with its source and compiled plan',
        params: Type.Object({ ...TemplateKeyParam.properties, version: Type.Integer({ minimum: 1 }) }),
        response: { 200: VersionDetail, 404: Problem },
      },
    },
    async (request) => {
      const version = await ctx.templates.getVersion(ctx.orm.em.fork(), request.params.key, request.params.version);
      if (!version) throw notFound(`No version ${request.params.version} of '${request.params.key}'.`);
      return {
        key: version.key,
        version: version.version,
        hash: version.hash,
        publishedAt: version.publishedAt.toISOString(),
        publishedBy: version.publishedBy,
        source: version.source,
        plan: version.plan as unknown as Record<string, unknown>,
      };
    },
  );

  app.get(
    '/templates/:key/diff',
    {
      config: { permission: 'templates.read' },
      schema: {
        tags: ['templates'],
        summary: 'Readable diff between two versions',
        params: TemplateKeyParam,
        querystring: DiffQuery,
        response: { 200: VersionDiff, 404: Problem, 422: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const em = ctx.orm.em.fork();
      const { key } = request.params;
      const [from, to] = await Promise.all([
        ctx.templates.getVersion(em, key, request.query.from),
        ctx.templates.getVersion(em, key, request.query.to),
      ]);
      if (!from || !to)
        throw notFound(`Version ${!from ? request.query.from : request.query.to} of '${key}' does not exist.`);
      // The diff runs on the event loop: give up on two large, very different versions rather than stall it.
      const diff = createTwoFilesPatch(
        `${key}@v${from.version}.yaml`,
        `${key}@v${to.version}.yaml`,
        from.source,
        to.source,
        undefined,
        undefined,
        { timeout: DIFF_TIMEOUT_MS },
      );
      if (diff === undefined) {
        throw new ProblemError({
          status: 422,
          type: 'diff-too-large',
          title: 'Unprocessable Content',
          detail: `Versions ${from.version} and ${to.version} of '${key}' differ too much to diff within ${DIFF_TIMEOUT_MS} ms; compare their sources instead.`,
        });
      }
      const lines = diff.split('\n').slice(2);
      return {
        key,
        from: from.version,
        to: to.version,
        diff,
        changedLines: {
          added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
          removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
        },
      };
    },
  );
};

export default templateRoutes;
