import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { evaluateExpr } from '../../dsl/cel/evaluate';
import { RUN_PROCESS, type RunProcessInput } from '../../workflows/messages';
import { type InstanceStatus, type ProjectInstanceParams } from '../../contracts/engine';
import { BUSINESS_KEY, PROCESS_STATUS, TEMPLATE_KEY, TEMPLATE_VERSION } from '../../workflows/search-attributes';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';
import type { InputValidator } from './input-validator';

export interface IdempotencyStore {
  find(principal: string, key: string): Promise<{ requestHash: string; instanceId: string } | null>;
  /** Returns false when another request stored the key first. */
  insert(principal: string, key: string, requestHash: string, instanceId: string): Promise<boolean>;
  /** True for exactly one caller per key: the request that answers "created". */
  claimStart(principal: string, key: string): Promise<boolean>;
}

export interface ProcessStarterDeps {
  client: Client;
  taskQueue: string;
  validator: InputValidator;
  latestPlan(templateKey: string): Promise<ProcessPlan | null>;
  /** Throws when the caller may not start this plan with this input (before anything is stored or started). */
  authorize(plan: ProcessPlan, input: Json): Promise<void>;
  idempotency: IdempotencyStore;
  /**
   * Writes the instance row and its `instance.started` entry right after the start
   * (InstanceRepository.project: idempotent with the workflow's own later flushes), so the
   * workflow need not (RunProcessInput.projectedStart). Without it the workflow projects its start.
   */
  projectStart?(params: ProjectInstanceParams, runId: string): Promise<void>;
}

export interface StartRequest {
  templateKey: string;
  input: Json;
  idempotencyKey?: string;
  principal: Principal;
}

export interface StartedInstance {
  id: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  /** False when an earlier request with the same Idempotency-Key started it. */
  created: boolean;
}

/**
 * Starts an instance of a template's newest version. With an Idempotency-Key the instance id
 * is derived from principal + key: a retry returns the instance the first request started (or
 * starts it, if the first request stored the key but never reached Temporal), Temporal's
 * conflict and reuse policies make two retries racing past the key table land on one execution,
 * and the key's start claim gives exactly one of them `created: true`.
 */
export async function startProcess(deps: ProcessStarterDeps, request: StartRequest): Promise<StartedInstance> {
  const plan = await deps.latestPlan(request.templateKey);
  if (!plan) {
    throw new ProblemError({
      status: 404,
      type: 'template-not-found',
      title: 'Not Found',
      detail: `No published template '${request.templateKey}'.`,
    });
  }
  await deps.authorize(plan, request.input);
  const requestHash = startRequestHash(request.templateKey, request.input);
  let instanceId = `${plan.key}-${randomUUID()}`;
  let keyStored = false;
  if (request.idempotencyKey) {
    instanceId = `${plan.key}-${createHash('sha256').update(`${request.principal.userId}\n${request.idempotencyKey}`).digest('hex').slice(0, 32)}`;
    const existing = await deps.idempotency.find(request.principal.userId, request.idempotencyKey);
    if (existing) {
      const replayed = await replay(deps, existing, requestHash, request);
      if (replayed) return replayed;
      // The key was stored but the start never reached Temporal (it was down): start it now.
      instanceId = existing.instanceId;
      keyStored = true;
    }
  }
  deps.validator.assertValid(`${plan.key}@${plan.version}`, plan.inputSchema, request.input);
  const businessKey = evaluateBusinessKey(plan, request.input);
  if (request.idempotencyKey && !keyStored) {
    const inserted = await deps.idempotency.insert(
      request.principal.userId,
      request.idempotencyKey,
      requestHash,
      instanceId,
    );
    if (!inserted) {
      const winner = await deps.idempotency.find(request.principal.userId, request.idempotencyKey);
      const replayed = winner ? await replay(deps, winner, requestHash, request) : null;
      if (replayed) return replayed;
    }
  }
  try {
    await startPlannedInstance(deps, {
      plan,
      input: request.input,
      instanceId,
      businessKey,
      startedBy: request.principal.userId,
    });
  } catch (error) {
    if (request.idempotencyKey && error instanceof WorkflowExecutionAlreadyStartedError) {
      const replayed = await replay(deps, { instanceId, requestHash }, requestHash, request);
      if (replayed) return replayed;
    }
    throw error;
  }
  // Racing requests with one key may each have reached this point (a start joins the running
  // execution); only the one that claims the key says it created the instance.
  const created = request.idempotencyKey
    ? await deps.idempotency.claimStart(request.principal.userId, request.idempotencyKey)
    : true;
  return {
    id: instanceId,
    templateKey: plan.key,
    version: plan.version,
    businessKey,
    status: 'running',
    created,
  };
}

export interface PlannedStart {
  plan: ProcessPlan;
  input: Json;
  instanceId: string;
  businessKey: string | null;
  startedBy: string;
}

/**
 * Starts `runProcess` on a pinned plan under a chosen id. A racing second start joins the running
 * execution; a finished one is never started again (WorkflowExecutionAlreadyStartedError).
 */
export async function startPlannedInstance(
  deps: Pick<ProcessStarterDeps, 'client' | 'taskQueue' | 'projectStart'>,
  start: PlannedStart,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const args: RunProcessInput = {
    plan: start.plan,
    input: start.input,
    ...(deps.projectStart ? { projectedStart: { startedAt } } : {}),
  };
  const handle = await deps.client.workflow.start(RUN_PROCESS, {
    taskQueue: deps.taskQueue,
    workflowId: start.instanceId,
    args: [args],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: new TypedSearchAttributes([
      { key: TEMPLATE_KEY, value: start.plan.key },
      { key: TEMPLATE_VERSION, value: start.plan.version },
      // A projected start leaves running/completed/failed/cancelled to Temporal's execution status.
      ...(deps.projectStart ? [] : [{ key: PROCESS_STATUS, value: 'running' }]),
      ...(start.businessKey ? [{ key: BUSINESS_KEY, value: start.businessKey }] : []),
    ]),
    memo: { startedBy: start.startedBy },
  });
  // After the start, so a start Temporal refused leaves no row; a start that joined a running
  // execution writes what is already there. Lost if this process dies right here: the row then
  // appears with the workflow's first flush (its first wait, or its end).
  await deps.projectStart?.(
    {
      instanceId: start.instanceId,
      templateKey: start.plan.key,
      version: start.plan.version,
      businessKey: start.businessKey,
      parentInstanceId: null,
      status: 'running',
      startedAt,
      endedAt: null,
      currentSteps: [],
      error: null,
      timeline: [
        {
          seq: 1,
          at: startedAt,
          type: 'instance.started',
          detail: { parentInstanceId: null, startedBy: start.startedBy },
        },
      ],
      snapshotSeq: 1,
    },
    handle.firstExecutionRunId,
  );
}

/** What an Idempotency-Key is bound to: the template and the input. */
export function startRequestHash(templateKey: string, input: Json): string {
  return createHash('sha256')
    .update(JSON.stringify([templateKey, input]))
    .digest('hex');
}

/** The instance an earlier request with this key started; null if it never reached Temporal. */
async function replay(
  deps: ProcessStarterDeps,
  existing: { requestHash: string; instanceId: string },
  requestHash: string,
  request: StartRequest,
): Promise<StartedInstance | null> {
  if (existing.requestHash !== requestHash) {
    throw new ProblemError({
      status: 409,
      type: 'idempotency-key-reused',
      title: 'Conflict',
      detail: `Idempotency-Key '${request.idempotencyKey}' was already used with a different request body.`,
      extensions: { instanceId: existing.instanceId },
    });
  }
  let description;
  try {
    description = await deps.client.workflow.getHandle(existing.instanceId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  const attributes = description.typedSearchAttributes;
  return {
    id: existing.instanceId,
    templateKey: attributes.get(TEMPLATE_KEY) ?? request.templateKey,
    version: attributes.get(TEMPLATE_VERSION) ?? 0,
    businessKey: attributes.get(BUSINESS_KEY) ?? null,
    status: TEMPORAL_STATUS[description.status.name] ?? 'running',
    created: false,
  };
}

const TEMPORAL_STATUS: Record<string, InstanceStatus> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'cancelled',
  TIMED_OUT: 'failed',
  CONTINUED_AS_NEW: 'running',
};

export function evaluateBusinessKey(plan: ProcessPlan, input: Json): string | null {
  if (!plan.businessKey) return null;
  try {
    const value = evaluateExpr(plan.businessKey, {
      input,
      vars: {},
      steps: {},
      now: new Date().toISOString(),
      instance: {
        id: '',
        templateKey: plan.key,
        version: plan.version,
        businessKey: null,
        startedAt: new Date().toISOString(),
      },
    });
    return value === null ? null : String(value);
  } catch (error) {
    throw new ProblemError({
      status: 400,
      type: 'validation',
      title: 'Bad Request',
      detail: `The business key expression could not be evaluated on this input: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
