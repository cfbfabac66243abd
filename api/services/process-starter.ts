import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Json, ProcessPlan } from '../../dsl/plan';
import { evaluateExpr } from '../../dsl/cel/evaluate';
import { RUN_PROCESS, type InstanceStatus, type RunProcessInput } from '../../workflows/messages';
import { BUSINESS_KEY, PROCESS_STATUS, TEMPLATE_KEY, TEMPLATE_VERSION } from '../../workflows/search-attributes';
import type { Caller } from '../caller';
import { ProblemError } from '../problem-error';
import type { InputValidator } from './input-validator';

export interface IdempotencyStore {
  find(caller: string, key: string): Promise<{ requestHash: string; instanceId: string } | null>;
  /** Returns false when another request stored the key first. */
  insert(caller: string, key: string, requestHash: string, instanceId: string): Promise<boolean>;
}

export interface ProcessStarterDeps {
  client: Client;
  taskQueue: string;
  validator: InputValidator;
  latestPlan(templateKey: string): Promise<ProcessPlan | null>;
  idempotency: IdempotencyStore;
}

export interface StartRequest {
  templateKey: string;
  input: Json;
  idempotencyKey?: string;
  caller: Caller;
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
 * is derived from caller + key, and Temporal's USE_EXISTING conflict policy makes a retried
 * start land on the same execution even if two retries race past the key table.
 */
export async function startProcess(deps: ProcessStarterDeps, request: StartRequest): Promise<StartedInstance> {
  const plan = await deps.latestPlan(request.templateKey);
  if (!plan) {
    throw new ProblemError({ status: 404, type: 'template-not-found', title: 'Not Found', detail: `No published template '${request.templateKey}'.` });
  }
  const requestHash = createHash('sha256').update(JSON.stringify([request.templateKey, request.input])).digest('hex');
  let instanceId = `${plan.key}-${randomUUID()}`;
  if (request.idempotencyKey) {
    const existing = await deps.idempotency.find(request.caller.userId, request.idempotencyKey);
    if (existing) return replay(deps, existing, requestHash, request);
    instanceId = `${plan.key}-${createHash('sha256').update(`${request.caller.userId}\n${request.idempotencyKey}`).digest('hex').slice(0, 32)}`;
  }
  deps.validator.assertValid(`${plan.key}@${plan.version}`, plan.inputSchema, request.input);
  const businessKey = evaluateBusinessKey(plan, request.input);
  if (request.idempotencyKey) {
    const inserted = await deps.idempotency.insert(request.caller.userId, request.idempotencyKey, requestHash, instanceId);
    if (!inserted) {
      const winner = await deps.idempotency.find(request.caller.userId, request.idempotencyKey);
      if (winner) return replay(deps, winner, requestHash, request);
    }
  }
  const args: RunProcessInput = { plan, input: request.input };
  await deps.client.workflow.start(RUN_PROCESS, {
    taskQueue: deps.taskQueue,
    workflowId: instanceId,
    args: [args],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: new TypedSearchAttributes([
      { key: TEMPLATE_KEY, value: plan.key },
      { key: TEMPLATE_VERSION, value: plan.version },
      { key: PROCESS_STATUS, value: 'running' },
      ...(businessKey ? [{ key: BUSINESS_KEY, value: businessKey }] : []),
    ]),
    memo: { startedBy: request.caller.userId },
  });
  return { id: instanceId, templateKey: plan.key, version: plan.version, businessKey, status: 'running', created: true };
}

async function replay(
  deps: ProcessStarterDeps,
  existing: { requestHash: string; instanceId: string },
  requestHash: string,
  request: StartRequest,
): Promise<StartedInstance> {
  if (existing.requestHash !== requestHash) {
    throw new ProblemError({
      status: 409, type: 'idempotency-key-reused', title: 'Conflict',
      detail: `Idempotency-Key '${request.idempotencyKey}' was already used with a different request body.`,
      extensions: { instanceId: existing.instanceId },
    });
  }
  const description = await deps.client.workflow.getHandle(existing.instanceId).describe();
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
  RUNNING: 'running', COMPLETED: 'completed', FAILED: 'failed', CANCELLED: 'cancelled',
  TERMINATED: 'cancelled', TIMED_OUT: 'failed', CONTINUED_AS_NEW: 'running',
};

function evaluateBusinessKey(plan: ProcessPlan, input: Json): string | null {
  if (!plan.businessKey) return null;
  try {
    const value = evaluateExpr(plan.businessKey, {
      input, vars: {}, steps: {}, now: new Date().toISOString(),
      instance: { id: '', templateKey: plan.key, version: plan.version, businessKey: null, startedAt: new Date().toISOString() },
    });
    return value === null ? null : String(value);
  } catch (error) {
    throw new ProblemError({
      status: 400, type: 'validation', title: 'Bad Request',
      detail: `The business key expression could not be evaluated on this input: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
