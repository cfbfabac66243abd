import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Json, ProcessPlan } from '../../dsl/plan';
import type { InstanceRow } from '../../db/entities';
import { eventSignal, stateQuery, timelineQuery } from '../../workflows/messages';
import type { EngineContext } from '../engine-deps';
import { principalOf, refusalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { Problem } from '../schemas/problem';
import {
  Accepted,
  IdempotencyHeaders,
  InstanceDetail,
  InstanceIdParam,
  InstanceListQuery,
  InstancePage,
  SendEventBody,
  StartInstanceBody,
  StartedInstance,
  Timeline,
} from '../schemas/instances';
import { heldSteps } from '../services/incident-actions';
import { startProcess } from '../services/process-starter';
import { assertMaySendEvent, assertMayStartTemplate, instanceReachOf } from '../access/process-access';
import { instanceNotFound as notFound, visibleInstance, whileRunning } from '../access/instance-visibility';
import { assertMayStartFor } from '../access/start-input-access';
import { recordApiAction } from '../services/request-audit';

export function instanceBody(ctx: EngineContext, row: InstanceRow) {
  return {
    id: row.id,
    templateKey: row.templateKey,
    version: row.version,
    businessKey: row.businessKey ?? null,
    parentId: row.parentId ?? null,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    currentSteps: row.currentSteps,
    ...(row.result !== null && row.result !== undefined ? { result: row.result } : {}),
    ...(row.error ? { error: row.error } : {}),
    temporalUrl: temporalUiLink(ctx, row.id),
  };
}

/** Each engine's Web UI address up to the workflow id: a list page links each of its rows. */
const temporalUiPrefixes = new WeakMap<EngineContext, string>();

/** The instance's workflow in the Temporal Web UI (its newest run). */
export function temporalUiLink(ctx: EngineContext, id: string): string {
  let prefix = temporalUiPrefixes.get(ctx);
  if (prefix === undefined) {
    const base = (ctx.temporalUiUrl ?? 'http://localhost:8233').replace(/\/+$/, '');
    prefix = `${base}/namespaces/${encodeURIComponent(ctx.client.options.namespace)}/workflows/`;
    temporalUiPrefixes.set(ctx, prefix);
  }
  return prefix + encodeURIComponent(id);
}

/** Start, list, read, signal and cancel process instances. Lists come from the PostgreSQL projection. */
const instanceRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/instances',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['instances'],
        summary: 'Start an instance of a template (newest version)',
        description:
          "The input is validated against the template's input schema. With an `Idempotency-Key` header a retried start returns the same instance (200); the same key with a different body is a 409. " +
          "Who may start a template: the roles its `startableBy` names (else the product's defaults per built-in template), admins, and API keys whose scope names it (403 otherwise). " +
          'A template started by business events takes the records its input names (leadId, quoteId, orderId, ticketId, customerId, triggerRef) only when the caller may see them (404 otherwise).',
        headers: IdempotencyHeaders,
        body: StartInstanceBody,
        response: {
          200: StartedInstance,
          201: StartedInstance,
          400: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const em = ctx.orm.em.fork();
      const started = await startProcess(
        {
          client: ctx.client,
          taskQueue: ctx.taskQueue,
          validator: ctx.validator,
          latestPlan: async (key) => ((await ctx.templates.latest(em, key))?.plan as ProcessPlan | undefined) ?? null,
          authorize: async (plan, input) => {
            assertMayStartTemplate(principal, plan.key, plan.startableBy);
            await assertMayStartFor(principal, plan, input, ctx.users, em);
          },
          idempotency: {
            find: (who, key) => ctx.idempotency.find(em, who, key),
            insert: (who, key, hash, id) => ctx.idempotency.insert(em, who, key, hash, id),
            claimStart: (who, key) => ctx.idempotency.claimStart(em, who, key),
          },
          projectStart: async (params, runId) => {
            await ctx.instances.project(ctx.orm.em.fork(), params, new Date(), runId);
          },
        },
        {
          templateKey: request.body.template,
          input: (request.body.input ?? null) as Json,
          idempotencyKey: request.headers['idempotency-key'],
          principal,
        },
      );
      if (started.created)
        await recordApiAction(ctx.orm, 'instance.start', `instance:${started.id}`, {
          templateKey: started.templateKey,
          version: started.version,
          businessKey: started.businessKey,
        });
      reply.code(started.created ? 201 : 200).header('location', `/api/v1/instances/${started.id}`);
      const { created: _created, ...body } = started;
      return { ...body, temporalUrl: temporalUiLink(ctx, started.id) };
    },
  );

  app.get(
    '/instances',
    {
      config: { permission: 'instances.read' },
      schema: {
        tags: ['instances'],
        summary: 'List instances, newest first, with filters and cursor pages',
        description:
          'Admins and auditors see every instance; others those they started, those with a task of theirs, and those of the business records they may see (a child instance with its parent).',
        querystring: InstanceListQuery,
        response: { 200: InstancePage, 400: Problem },
      },
    },
    async (request) => {
      const em = ctx.orm.em.fork();
      const reach = await instanceReachOf(principalOf(request), ctx.users, em);
      const q = request.query;
      if (q.version !== undefined && q.template === undefined)
        throw new ProblemError({
          status: 400,
          type: 'validation',
          title: 'Invalid request',
          detail: 'A version is a version of a template: give `template` with `version`.',
          extensions: { errors: [{ path: '/querystring/version', message: 'needs template' }] },
        });
      const page = await ctx.instances.list(em, {
        templateKey: q.template,
        version: q.version,
        ...(q.status === 'incident' ? { incident: true } : { status: q.status }),
        businessKey: q.businessKey,
        startedFrom: q.startedFrom,
        startedTo: q.startedTo,
        cursor: q.cursor,
        limit: q.limit,
        ...(reach ? { reach } : {}),
        countIncidents: true,
      });
      return {
        items: page.items.map((row, index) => ({
          ...instanceBody(ctx, row),
          incidentCount: page.incidentCounts[index] ?? 0,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/instances/:id',
    {
      config: { permission: 'instances.read' },
      schema: {
        tags: ['instances'],
        summary: 'One instance, with its plan, incidents, the actions the caller may take and its Temporal Web UI link',
        description:
          'The plan comes with the instance for whoever may read it (no templates.read needed): the instance page draws the diagram from it. ' +
          '`incidents`: activities failing for the third time or more in a row (the worker records them; they clear when the activity succeeds or is retried). ' +
          '`stepIncidents` (status `incident`): steps that failed with nobody to handle the failure, held until an operator edits variables and retries, fails or cancels the instance.',
        params: InstanceIdParam,
        response: { 200: InstanceDetail, 404: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { row } = await visibleInstance(ctx, principal, id);
      const em = ctx.orm.em.fork();
      let summary: ReturnType<typeof instanceBody>;
      if (row) summary = instanceBody(ctx, row);
      else {
        // Started but not yet projected: the workflow itself knows.
        try {
          const state = await ctx.client.workflow.getHandle(id).query(stateQuery);
          summary = {
            id: state.instanceId,
            templateKey: state.templateKey,
            version: state.version,
            businessKey: state.businessKey,
            parentId: null,
            status: state.status,
            startedAt: new Date().toISOString(),
            endedAt: null,
            currentSteps: state.currentSteps,
            temporalUrl: temporalUiLink(ctx, state.instanceId),
          };
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFound(id);
          throw error;
        }
      }
      const version = await ctx.templates.getVersion(em, summary.templateKey, summary.version);
      const plan = (version?.plan as ProcessPlan | undefined) ?? null;
      const incidents = summary.status === 'running' ? ((await ctx.incidents.ofInstances(em, [id])).get(id) ?? []) : [];
      const stepIncidents = summary.status === 'incident' ? await heldSteps(ctx, id, row?.error ?? null) : [];
      const running = summary.status === 'running' || summary.status === 'incident';
      return {
        ...summary,
        templateName: plan?.name ?? null,
        plan: plan as unknown as Record<string, unknown> | null,
        incidents: incidents.map(({ instanceId: _instanceId, ...incident }) => incident),
        stepIncidents,
        allowed: {
          cancel: running && refusalOf(principal, 'instances.cancel') === null,
          sendEvent: running && refusalOf(principal, 'instances.signal') === null,
          retry:
            (incidents.length > 0 || stepIncidents.length > 0 || summary.status === 'failed') &&
            refusalOf(principal, 'instances.retry') === null,
          editVariables: stepIncidents.length > 0 && refusalOf(principal, 'instances.edit-variables') === null,
          fail: stepIncidents.length > 0 && refusalOf(principal, 'instances.retry') === null,
        },
      };
    },
  );

  app.get(
    '/instances/:id/timeline',
    {
      config: { permission: 'instances.read' },
      schema: {
        tags: ['instances'],
        summary: 'Every step start/end, task event, signal and error, oldest first',
        params: InstanceIdParam,
        response: { 200: Timeline, 404: Problem },
      },
    },
    async (request) => {
      const { row } = await visibleInstance(ctx, principalOf(request), request.params.id);
      const em = ctx.orm.em.fork();
      if (row?.status === 'running' || row?.status === 'incident' || !row) {
        // A running instance's newest entries may not be flushed yet: ask the workflow first.
        try {
          const items = await ctx.client.workflow.getHandle(request.params.id).query(timelineQuery);
          return { items: items.map((e) => ({ ...e, stepId: e.stepId ?? null, path: e.path ?? null })) };
        } catch (error) {
          if (!row && error instanceof WorkflowNotFoundError) throw notFound(request.params.id);
          if (!row) throw error;
        }
      }
      const items = await ctx.instances.timeline(em, request.params.id);
      return { items: items.map((e) => ({ ...e, stepId: e.stepId ?? null, path: e.path ?? null })) };
    },
  );

  app.post(
    '/instances/:id/events',
    {
      config: { permission: 'instances.signal', limitEventsPerRecord: true },
      schema: {
        tags: ['instances'],
        summary: 'Send an event to a running instance (for `receive` steps)',
        description:
          'Admins, and API keys whose scope names the event, into an instance they may see (404 as for a missing one otherwise). ' +
          '202 means the instance got it: a `receive` waiting for it takes it; one with `buffer` may take it later; otherwise it is ignored. ' +
          'Which of these happened shows on the timeline (`event.received` / `event.ignored`) and in the state (`events`).',
        params: InstanceIdParam,
        body: SendEventBody,
        response: { 202: Accepted, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertMaySendEvent(principal, request.body.event);
      await visibleInstance(ctx, principal, request.params.id);
      await whileRunning(request.params.id, () =>
        ctx.client.workflow.getHandle(request.params.id).signal(eventSignal, {
          event: request.body.event,
          payload: (request.body.payload ?? null) as Json,
          eventId: request.body.eventId ?? randomUUID(),
        }),
      );
      await recordApiAction(ctx.orm, 'instance.event', `instance:${request.params.id}`, { event: request.body.event });
      reply.code(202);
      return { accepted: true as const, instanceId: request.params.id };
    },
  );

  app.post(
    '/instances/:id/cancel',
    {
      config: { permission: 'instances.cancel' },
      schema: {
        tags: ['instances'],
        summary: 'Cancel a running instance; its compensation steps run',
        description: 'Only an instance the caller may see (404 as for a missing one otherwise).',
        params: InstanceIdParam,
        response: { 202: Accepted, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await visibleInstance(ctx, principalOf(request), request.params.id);
      await whileRunning(request.params.id, async () => {
        await ctx.client.workflow.getHandle(request.params.id).cancel();
      });
      await recordApiAction(ctx.orm, 'instance.cancel', `instance:${request.params.id}`);
      reply.code(202);
      return { accepted: true as const, instanceId: request.params.id };
    },
  );
};

export default instanceRoutes;
