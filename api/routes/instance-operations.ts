import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { hasRight } from '../../contracts/roles';
import type { InstanceState, TimelineEntry } from '../../contracts/engine';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { stateQuery, timelineQuery } from '../../workflows/messages';
import { instanceNotFound, instanceNotRunning, visibleInstance } from '../access/instance-visibility';
import type { EngineContext } from '../engine-deps';
import { principalOf } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { Problem } from '../schemas/problem';
import {
  BulkCancelBody,
  BulkCancelResult,
  IncidentFailed,
  InstanceIdParam,
  InstanceStateBody,
  RetryAccepted,
  SetVariablesBody,
  VariablesSet,
} from '../schemas/instances';
import { resolveIncident, setIncidentVariables } from '../services/incident-actions';
import { resetFailedInstance } from '../services/instance-reset';
import { instanceStateBody } from '../services/instance-state';
import { recordApiAction } from '../services/request-audit';

/** What operators do to instances beyond start/signal/cancel: read the live state, retry an incident, cancel many. */
const instanceOperationRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/instances/:id/state',
    {
      config: { permission: 'instances.read' },
      schema: {
        tags: ['instances'],
        summary: 'Live state: variables, step results, open tasks, events received and pending timers',
        description:
          "From the workflow's state query, for whoever may read the instance. Holders of instances.see-all (admins, auditors) see everything (`visibility: full`). " +
          'Other readers (who reach the instance through its business record, a task of theirs or as its starter) get `visibility: structure`: current steps, open tasks, event names and times and timers, ' +
          'but `vars` and `steps` are null and buffered events carry no payload: values may hold data of records beyond their field rights (contact details, amounts), which the engine cannot tell apart. ' +
          'When the workflow cannot be asked (its history is gone), `source: projection` and no values.',
        params: InstanceIdParam,
        response: { 200: InstanceStateBody, 404: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { row } = await visibleInstance(ctx, principal, id);
      const em = ctx.orm.em.fork();
      const handle = ctx.client.workflow.getHandle(id);
      let state: InstanceState | null = null;
      let timeline: TimelineEntry[] | null = null;
      try {
        // One after the other: while a workflow task is running, Temporal buffers one query per
        // workflow and refuses a second with RESOURCE_EXHAUSTED, which the client then retries
        // after 1 s, 1.7 s, ... (a slow answer, and a retry that can outlive the request).
        state = await handle.query(stateQuery);
        timeline = await handle.query(timelineQuery);
      } catch (error) {
        if (!row && error instanceof WorkflowNotFoundError) throw instanceNotFound(id);
        if (!row) throw error;
        // A closed workflow whose history is gone (or the worker is down): the projection answers.
        request.log.info({ err: error, instanceId: id }, 'state query failed; answering from the projection');
      }
      timeline ??= await ctx.instances.timeline(em, id);
      const templateKey = state?.templateKey ?? row?.templateKey;
      const version = state?.version ?? row?.version;
      const stored = templateKey && version ? await ctx.templates.getVersion(em, templateKey, version) : null;
      return instanceStateBody({
        instanceId: id,
        state,
        projected: row ? { status: row.status, currentSteps: row.currentSteps } : null,
        timeline,
        plan: (stored?.plan as ProcessPlan | undefined) ?? null,
        full: hasRight(principal.roles, 'instances.see-all'),
      });
    },
  );

  app.post(
    '/instances/:id/retry',
    {
      config: { permission: 'instances.retry' },
      schema: {
        tags: ['instances'],
        summary:
          'Retry an incident now (held steps run again, failing activities at once with attempts counted afresh), or a failed instance from before its failure',
        description:
          'Status `incident` (a step failed with nobody to handle it): the held steps run again with the variables as they are now (edit them first with PATCH /instances/:id/variables); the instance is `running` again. ' +
          "Otherwise Temporal's ResetActivity for each activity of the instance's incidents (one the caller may see; 404 otherwise). The incidents are cleared; an activity that keeps failing is an incident again after its third failed attempt. " +
          'Status `failed`: the workflow is reset to the workflow task that scheduled the activity whose failure ended it (else to its last one) and runs on as a new run (`runId`): the instance is `running` again and its timeline continues. ' +
          'Signals received after that point are applied again; side effects already done (tasks, reservations, mails) are not repeated; compensation already run is not undone. ' +
          '409 `no-incident` when the instance has no incident, 409 `instance-not-running` when it is completed or cancelled.',
        params: InstanceIdParam,
        response: { 202: RetryAccepted, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const principal = principalOf(request);
      const { row } = await visibleInstance(ctx, principal, id);
      if (row?.status === 'incident') {
        const steps = await resolveIncident(ctx, id, 'retry', principal);
        await recordApiAction(ctx.orm, 'instance.retry', `instance:${id}`, { steps });
        reply.code(202);
        return { accepted: true as const, instanceId: id, activities: [], steps };
      }
      if (row?.status === 'failed') {
        const reset = await resetFailedInstance(ctx, id, `api:${principal.userId}`);
        await recordApiAction(ctx.orm, 'instance.retry', `instance:${id}`, { ...reset, failed: true });
        reply.code(202);
        return { accepted: true as const, instanceId: id, activities: [], steps: [], runId: reset.runId };
      }
      if (row && row.status !== 'running') throw instanceNotRunning(id);
      const em = ctx.orm.em.fork();
      const incidents = (await ctx.incidents.ofInstances(em, [id])).get(id) ?? [];
      if (incidents.length === 0)
        throw new ProblemError({
          status: 409,
          type: 'no-incident',
          title: 'Conflict',
          detail: `Instance '${id}' has no failing activity to retry.`,
        });
      const retried: string[] = [];
      for (const incident of incidents) {
        try {
          await ctx.client.workflowService.resetActivity({
            namespace: ctx.client.options.namespace,
            execution: { workflowId: id },
            id: incident.activityId,
            identity: `api:${principalOf(request).userId}`,
            resetHeartbeat: true,
          });
          retried.push(incident.activityId);
        } catch (error) {
          // The activity is no longer pending (it succeeded meanwhile, or the instance ended): nothing to retry.
          request.log.info({ err: error, instanceId: id, activityId: incident.activityId }, 'activity not reset');
        }
        await ctx.incidents.clear(em, id, incident.activityId);
      }
      await recordApiAction(ctx.orm, 'instance.retry', `instance:${id}`, { activities: retried });
      reply.code(202);
      return { accepted: true as const, instanceId: id, activities: retried, steps: [] };
    },
  );

  app.patch(
    '/instances/:id/variables',
    {
      config: { permission: 'instances.edit-variables' },
      schema: {
        tags: ['instances'],
        summary: 'Change variables of an instance held in incident, before retrying its step',
        description:
          'Merges `vars` over the instance variables (each a JSON value within the value size limit; 422 otherwise) and answers them all. ' +
          'Only while the instance is `incident` (409 `no-incident` otherwise): the fix for a value a step could not use. Audited with the names and values set.',
        params: InstanceIdParam,
        body: SetVariablesBody,
        response: { 200: VariablesSet, 400: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { row } = await visibleInstance(ctx, principal, id);
      if (row && row.status !== 'incident') throw noStepIncident(id);
      const vars = await setIncidentVariables(ctx, id, request.body.vars as Record<string, Json>, principal);
      await recordApiAction(ctx.orm, 'instance.set-variables', `instance:${id}`, { vars: request.body.vars });
      return { instanceId: id, vars };
    },
  );

  app.post(
    '/instances/:id/fail',
    {
      config: { permission: 'instances.retry' },
      schema: {
        tags: ['instances'],
        summary: 'End an instance held in incident as failed: compensation and onFailure run',
        description:
          "The operator's other answer to an incident than retry: the instance fails with the held step's error, as if nobody could ever fix it. Only while the instance is `incident` (409 `no-incident` otherwise).",
        params: InstanceIdParam,
        response: { 202: IncidentFailed, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { row } = await visibleInstance(ctx, principal, id);
      if (row && row.status !== 'incident') throw noStepIncident(id);
      const steps = await resolveIncident(ctx, id, 'fail', principal);
      await recordApiAction(ctx.orm, 'instance.fail', `instance:${id}`, { steps });
      reply.code(202);
      return { accepted: true as const, instanceId: id, steps };
    },
  );

  app.post(
    '/instances/bulk-cancel',
    {
      config: { permission: 'instances.cancel' },
      schema: {
        tags: ['instances'],
        summary: 'Cancel up to 50 running instances; each answer says what became of one',
        description:
          'Each id: `cancelled` (cancellation requested; its compensation steps run), `not-running`, or `not-found` (also for an instance the caller may not see). ' +
          'The web app sends a large selection in batches and shows the progress.',
        body: BulkCancelBody,
        response: { 200: BulkCancelResult, 400: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const items: { id: string; outcome: 'cancelled' | 'not-running' | 'not-found' }[] = [];
      for (const id of request.body.ids) {
        try {
          const { row } = await visibleInstance(ctx, principal, id);
          if (row && row.status !== 'running' && row.status !== 'incident') {
            items.push({ id, outcome: 'not-running' });
            continue;
          }
          await ctx.client.workflow.getHandle(id).cancel();
          await recordApiAction(ctx.orm, 'instance.cancel', `instance:${id}`, { bulk: true });
          items.push({ id, outcome: 'cancelled' });
        } catch (error) {
          if (error instanceof ProblemError && error.status === 404) items.push({ id, outcome: 'not-found' });
          else if (error instanceof WorkflowNotFoundError) items.push({ id, outcome: 'not-running' });
          else throw error;
        }
      }
      return { items };
    },
  );
};

function noStepIncident(id: string): ProblemError {
  return new ProblemError({
    status: 409,
    type: 'no-incident',
    title: 'Conflict',
    detail: `Instance '${id}' has no step held in incident.`,
  });
}

export default instanceOperationRoutes;
