import type { RuntimeLimits } from './limits';
import type { Locale } from './locales';

/**
 * The compiled, validated execution plan of one template version. It is plain JSON: it travels
 * in the `runProcess` workflow input, so a history alone replays it, and it is stored with the
 * published version. Produced by `compileTemplate` (dsl/compile.ts), walked by the interpreter
 * (workflows/run-process.ts). Durations are milliseconds; expressions are CEL source text.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A CEL expression, already parsed and type-checked at publish time. `source` is the text
 * after the leading `=` of the template string. Evaluated over the {@link EvaluationScope}.
 */
export interface Expr {
  $expr: string;
}

/**
 * A value that may contain expressions anywhere inside it: a literal JSON value, an {@link Expr},
 * or an object/array whose members are ValueTemplates. An object with the single key `$expr` is
 * an expression; a literal object that happens to have that key is wrapped as `{ $literal: … }`.
 */
export type ValueTemplate = Json | Expr | { $literal: Json } | ValueTemplate[] | { [key: string]: ValueTemplate };

/** Names visible to expressions at run time (and, with their types, at publish time). */
export interface EvaluationScope {
  input: Json;
  vars: Record<string, Json>;
  /** Results of steps that have completed, by step id. */
  steps: Record<string, Json>;
  instance: { id: string; templateKey: string; version: number; businessKey: string | null; startedAt: string };
  /** Workflow time (deterministic), ISO 8601. */
  now: string;
  /** Inside forEach: the current item under the name the step declares (`as`), and `index`. */
  [loopVariable: string]: Json | Record<string, Json> | EvaluationScope['instance'];
}

export interface RetryPlan {
  /** 0: no limit (Temporal's convention), the default of a call step. */
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** ApplicationFailure types that are never retried. */
  nonRetryableErrorTypes?: string[];
}

interface StepBase {
  id: string;
  /** Where the step is in the template, e.g. `steps[2].switch[0].do[1]`, for errors and the timeline. */
  path: string;
  /** Skip the step unless this is true. */
  if?: Expr;
  /** Steps to run when this step fails; afterwards the instance continues (`continue`) or fails (`fail`). */
  onError?: { steps: StepPlan[]; then: 'continue' | 'fail' };
}

export interface CallStep extends StepBase {
  kind: 'call';
  /** A name from the activity registry, e.g. `crm.assignLead`, `mail.send`. */
  activity: string;
  with: ValueTemplate;
  timeoutMs: number;
  retry: RetryPlan;
  /** Undo steps, stacked when this step succeeds and run in reverse order on failure or cancel. */
  compensate?: StepPlan[];
}

export interface CandidatesPlan {
  role?: ValueTemplate;
  users?: ValueTemplate;
  /** Extra attribute filters, e.g. `{ region: =steps.assign.lead.region }`. */
  where?: Record<string, ValueTemplate>;
}

export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface EscalationPlan {
  /**
   * When the rung fires, counted from the task opening: `afterMs` for a literal duration, or
   * `afterExpr`, an expression giving an ISO 8601 duration, evaluated once when the task opens.
   * Exactly one of the two (plans published before `afterExpr` existed always have `afterMs`).
   */
  afterMs?: number;
  afterExpr?: Expr;
  /** Recipients (user ids or e-mail addresses) to notify. */
  notify?: ValueTemplate;
  reassign?: { user?: ValueTemplate; candidates?: CandidatesPlan };
  raisePriority?: TaskPriority;
}

/** A fixed text in every locale, e.g. `{ en: Approve, zh-CN: 批准 }`. */
export type LocalizedText = Record<Locale, string>;

/** A task's title and description in one locale, expressions rendered when the task opens. */
export interface TaskTextTemplates {
  title: ValueTemplate;
  description?: ValueTemplate;
}

export interface TaskStep extends StepBase {
  kind: 'task';
  /** In `en` when the template gives it per locale (then `texts` has every locale). */
  title: ValueTemplate;
  description?: ValueTemplate;
  /**
   * Title and description per locale, present only when the template gives either per locale;
   * plans without it (every plan published before) show `title`/`description` in every locale.
   */
  texts?: Record<Locale, TaskTextTemplates>;
  /** A label per outcome, for the outcomes the template labels; the others show their id. */
  outcomeLabels?: Record<string, LocalizedText>;
  assignee?: ValueTemplate;
  candidates?: CandidatesPlan;
  /**
   * Four-eyes: the user id(s) who may not decide this task (the owner of the record under
   * approval), rendered when the task opens to a list. They are never its assignee, never see it
   * in their queue, and cannot claim, complete or receive it by delegation.
   */
  excludeUsers?: ValueTemplate;
  outcomes: string[];
  /** JSON Schema (object) of the form data a completion must carry. */
  form?: FormSchema;
  /** Due after a literal duration (`dueMs`) or an expression giving an ISO 8601 duration (`dueExpr`, evaluated when the task opens); at most one. */
  dueMs?: number;
  dueExpr?: Expr;
  priority: TaskPriority | Expr;
  /** A reminder every `everyMs` (literal) or `everyExpr` (an ISO 8601 duration, evaluated when the task opens), `times` at most. */
  remind?: { everyMs?: number; everyExpr?: Expr; times: number };
  escalate?: EscalationPlan[];
}

/** The subset of JSON Schema forms use; checked inside the workflow sandbox without code generation. */
export interface FormSchema {
  type: 'object';
  required?: string[];
  properties: Record<string, FormFieldSchema>;
  additionalProperties?: boolean;
}

export interface FormFieldSchema {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  enum?: Json[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: 'email' | 'date' | 'date-time' | 'uri';
  items?: FormFieldSchema;
  /** A plain text in every locale or one per locale; resolved to the reader's locale when shown. */
  title?: string | LocalizedText;
  description?: string | LocalizedText;
}

export interface SwitchStep extends StepBase {
  kind: 'switch';
  cases: { when: Expr; steps: StepPlan[] }[];
  otherwise?: StepPlan[];
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  /** `all`: wait for every branch; `any`: the first to finish; `n`: the first n (n-of-m). The rest are cancelled. */
  mode: 'all' | 'any' | 'n';
  n?: number;
  branches: { id: string; steps: StepPlan[] }[];
  /** Checked as each branch finishes; when true the running branches are cancelled and the step completes. */
  completion?: Expr;
}

export interface ForEachStep extends StepBase {
  kind: 'forEach';
  items: Expr;
  /** Name of the loop variable in expressions; `index` is also bound. */
  as: string;
  /** Run iterations concurrently (bounded by `maxConcurrency`) or one after another. */
  concurrent: boolean;
  maxConcurrency?: number;
  steps: StepPlan[];
  /** Only with `concurrent`: checked as each iteration finishes; when true the rest are cancelled. */
  completion?: Expr;
}

export interface RepeatStep extends StepBase {
  kind: 'repeat';
  steps: StepPlan[];
  /** Checked after each iteration; the loop ends when it is true. */
  until: Expr;
  maxIterations: number;
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  /** Exactly one of the two. */
  durationMs?: number;
  /** An expression giving an ISO 8601 timestamp to wait until. */
  until?: Expr;
}

export interface ReceiveStep extends StepBase {
  kind: 'receive';
  /** Event name, e.g. `stock.received`. */
  event: string;
  /** Only events whose payload makes this true are taken (e.g. matching order id). */
  match?: Expr;
  timeoutMs?: number;
  /** Steps to run when the timeout fires; without them a timeout fails the step. */
  onTimeout?: StepPlan[];
  /**
   * Which events that arrived before the step started it may still take: `after: null` any since
   * the instance started, `after: '<stepId>'` those since that step last finished. Without it the
   * step takes only events that arrive while it waits.
   */
  buffer?: { after: string | null };
}

export interface ProcessStep extends StepBase {
  kind: 'process';
  /** Template key of the child process; the child runs that template's newest published version. */
  template: string;
  input: ValueTemplate;
  /** Wait for the child's result (default) or start it and go on. */
  wait: boolean;
}

export interface SetStep extends StepBase {
  kind: 'set';
  vars: Record<string, ValueTemplate>;
}

export interface EndStep extends StepBase {
  kind: 'end';
  result?: ValueTemplate;
}

export interface FailStep extends StepBase {
  kind: 'fail';
  /** Stable error code, e.g. `quote.rejected`. */
  code: string;
  message: ValueTemplate;
}

export type StepPlan =
  | CallStep
  | TaskStep
  | SwitchStep
  | ParallelStep
  | ForEachStep
  | RepeatStep
  | WaitStep
  | ReceiveStep
  | ProcessStep
  | SetStep
  | EndStep
  | FailStep;

export type StepKind = StepPlan['kind'];

export const STEP_KINDS = [
  'call',
  'task',
  'switch',
  'parallel',
  'forEach',
  'repeat',
  'wait',
  'receive',
  'process',
  'set',
  'end',
  'fail',
] as const satisfies readonly StepKind[];

export interface ProcessPlan {
  /** Plan format version, so the interpreter can read plans of older publishes. */
  planVersion: 1;
  key: string;
  name: string;
  version: number;
  /** sha256 of the template source; identical content is never published twice. */
  hash: string;
  /** JSON Schema of the start input (validated by the API before a start). */
  inputSchema: Json;
  businessKey?: Expr;
  /** Events that start this process, e.g. `lead.created`. */
  triggers: { event: string }[];
  /** Roles that may start it by hand; absent: the product's defaults for the template key. */
  startableBy?: string[];
  /** Initial variables. */
  vars: Record<string, ValueTemplate>;
  steps: StepPlan[];
  /** Runs when the instance fails (after compensation), e.g. to notify someone. */
  onFailure?: StepPlan[];
  /** Evaluation and value budgets; plans published before they existed run with the defaults. */
  limits?: RuntimeLimits;
}
