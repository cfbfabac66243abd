import { extendScope } from '../cel/scope-types';
import type { JsonSchema } from '../cel/schema-types';
import type { RetryPlan } from '../plan';
import { ref } from '../schema-defs';
import { asPositiveInteger, asString, isRecord, type StepKindDefinition } from './step-kind';

/**
 * Defaults when a call step says nothing: one minute per attempt, retried without an attempt limit
 * from 1 s doubling up to 5 min. Activities are idempotent, so an outage of the database, the SMTP
 * relay or the worker only delays a step; a bound of a few attempts turned a 15 s outage into
 * failed processes. After a few failed attempts the incident interceptor shows the instance as in
 * incident while it keeps retrying. A business failure (non-retryable) still ends the step at once.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY: RetryPlan = {
  maximumAttempts: 0,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 300_000,
};

/**
 * `{ id, call: mail.send, with: {…}, timeout?: PT30S, retry?: {…}, compensate?: [steps] }`: runs
 * one activity from the catalog. `with` is checked against the activity's parameter schema by the
 * activity-params rule; `compensate` sees the call's own result.
 */
export const callStep: StepKindDefinition<'call'> = {
  kind: 'call',
  schema: {
    required: ['call'],
    properties: {
      call: { type: 'string', minLength: 1, description: 'An activity from the registry, e.g. `mail.send`.' },
      with: {
        ...ref.value,
        description: "The activity's parameters: a mapping (values may be expressions) or one expression giving it.",
      },
      timeout: { ...ref.duration, description: 'How long one attempt may take (default PT1M).' },
      retry: {
        type: 'object',
        description:
          'Retry policy of a failing attempt (default: no attempt limit, PT1S doubling up to PT5M). A business failure is never retried.',
        properties: {
          maximumAttempts: {
            type: 'integer',
            minimum: 1,
            description:
              'Bounds the attempts (1: no retry). When they are used up the step fails: its onError runs, or the instance is held in incident. Default: unlimited.',
          },
          initialInterval: { ...ref.duration, description: 'Wait before the first retry (default PT1S).' },
          backoffCoefficient: { type: 'number', minimum: 1, description: 'Growth of the wait per retry (default 2).' },
          maximumInterval: { ...ref.duration, description: 'Cap of the wait between retries (default PT5M).' },
          nonRetryableErrorTypes: {
            type: 'array',
            items: { type: 'string' },
            description: 'Failure types (codes) that end the step at once, like a business failure.',
          },
        },
        additionalProperties: false,
      },
      compensate: {
        ...ref.steps,
        description: 'Undo steps, run in reverse order of completion if the instance later fails or is cancelled.',
      },
    },
  },
  compile(step, ctx) {
    const activity = asString(step.call) ?? '';
    // TypeBox schemas are plain JSON Schema objects.
    const params = ctx.catalog[activity]?.params as JsonSchema | undefined;
    const retry = isRecord(step.retry) ? step.retry : {};
    const nonRetryable = Array.isArray(retry.nonRetryableErrorTypes)
      ? retry.nonRetryableErrorTypes.filter((t): t is string => typeof t === 'string')
      : undefined;
    const body: ReturnType<typeof callStep.compile>['body'] = {
      activity,
      with: ctx.value(['with'], step.with ?? {}, { schema: params ?? { type: 'object' }, code: 'call.invalid-params' }),
      timeoutMs: ctx.duration(['timeout'], step.timeout) ?? DEFAULT_CALL_TIMEOUT_MS,
      retry: {
        maximumAttempts: asPositiveInteger(retry.maximumAttempts) ?? DEFAULT_RETRY.maximumAttempts,
        initialIntervalMs:
          ctx.duration(['retry', 'initialInterval'], retry.initialInterval) ?? DEFAULT_RETRY.initialIntervalMs,
        backoffCoefficient:
          typeof retry.backoffCoefficient === 'number' ? retry.backoffCoefficient : DEFAULT_RETRY.backoffCoefficient,
        maximumIntervalMs:
          ctx.duration(['retry', 'maximumInterval'], retry.maximumInterval) ?? DEFAULT_RETRY.maximumIntervalMs,
        ...(nonRetryable ? { nonRetryableErrorTypes: nonRetryable } : {}),
      },
    };
    if (step.compensate !== undefined) {
      const own =
        ctx.id === undefined
          ? ctx.scope
          : extendScope(ctx.scope, { steps: new Map([[ctx.id, callStep.resultSchema(step, ctx)]]) });
      body.compensate = ctx.sequence(['compensate'], step.compensate, own).steps;
    }
    return { body };
  },
  resultSchema: (step, { catalog }) => (catalog[asString(step.call) ?? '']?.result as JsonSchema | undefined) ?? {},
};
