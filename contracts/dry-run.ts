import { Type, type Static } from 'typebox';
import type { Json } from '../dsl/plan';

/*
 * A dry run: a template run by the real interpreter on a simulated server, without Temporal and
 * without side effects, against a scenario of answers (contract B). The API validates scenarios
 * with these schemas and the web app imports the types.
 */

/** Any JSON value, typed as the plan's Json. */
const JsonValue = Type.Unsafe<Json>(Type.Unknown({ description: 'Any JSON value.' }));
const JsonRecord = Type.Record(Type.String(), JsonValue);
const StepIdKeyed = <T extends ReturnType<typeof Type.Object> | ReturnType<typeof Type.Union>>(answer: T) =>
  Type.Record(Type.String(), Type.Array(answer, { maxItems: 1000 }), {
    description: 'Per step id; answers are used in order of the step’s occurrences, the last one repeats.',
  });
const AfterMs = Type.Integer({ minimum: 0, maximum: 10 * 365 * 86_400_000 });

const TaskActor = Type.String({ minLength: 1, description: 'The user id of the person acting.' });

/**
 * What people do with an open task before it is completed, delivered as the claimTask /
 * delegateTask / releaseTask Updates the API sends (workflows/messages.ts).
 */
export const TaskAction = Type.Union([
  Type.Object({ kind: Type.Literal('claim'), by: TaskActor }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('delegate'), by: TaskActor, to: Type.String({ minLength: 1 }) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('release'), by: TaskActor }, { additionalProperties: false }),
]);
export type TaskAction = Static<typeof TaskAction>;

export const TaskAnswer = Type.Object(
  {
    outcome: Type.String({ minLength: 1 }),
    form: Type.Optional(JsonRecord),
    completedBy: Type.Optional(Type.String({ minLength: 1 })),
    afterMs: Type.Optional({ ...AfterMs, description: 'Virtual ms after the task opened; default at once.' }),
    iteration: Type.Optional(
      Type.String({
        pattern: '^\\d+(\\.\\d+)*$',
        description:
          'The occurrence this answer is for, by its loop counters as in task ids ("1", "0.2"): concurrent occurrences answered in another order than they opened. Without it, answers go to occurrences in order.',
      }),
    ),
    actions: Type.Optional(
      Type.Array(TaskAction, {
        maxItems: 100,
        description:
          'Claims, delegations and releases sent in order before the completion, each at the answer’s time, each once the previous one is answered.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TaskAnswer = Static<typeof TaskAnswer>;

export const ActivityAnswer = Type.Union([
  Type.Object({ result: JsonValue }, { additionalProperties: false }),
  Type.Object(
    {
      error: Type.Object(
        {
          type: Type.String({ minLength: 1 }),
          message: Type.String(),
          nonRetryable: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);
export type ActivityAnswer = Static<typeof ActivityAnswer>;

export const ChildAnswer = Type.Union([
  Type.Object({ result: JsonValue }, { additionalProperties: false }),
  Type.Object(
    {
      running: Type.Literal(true, {
        description: 'The child starts and never ends by itself: cancelling the parent cancels it.',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      error: Type.Object(
        { code: Type.String({ minLength: 1 }), message: Type.String() },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);
export type ChildAnswer = Static<typeof ChildAnswer>;

export const DryRunEvent = Type.Object(
  {
    event: Type.String({ minLength: 1 }),
    payload: JsonValue,
    afterMs: Type.Optional({
      ...AfterMs,
      description: 'Virtual ms after the start; without it the event arrives when a `receive` of it waits.',
    }),
  },
  { additionalProperties: false },
);
export type DryRunEvent = Static<typeof DryRunEvent>;

export const DryRunExpectations = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('completed'),
        Type.Literal('failed'),
        Type.Literal('waiting'),
        Type.Literal('incident'),
      ]),
    ),
    result: Type.Optional(JsonValue),
    reached: Type.Optional(Type.Array(Type.String(), { description: 'Step ids that must have run.' })),
    notReached: Type.Optional(Type.Array(Type.String(), { description: 'Step ids that must not have run.' })),
    vars: Type.Optional(JsonRecord),
  },
  { additionalProperties: false },
);
export type DryRunExpectations = Static<typeof DryRunExpectations>;

export const DryRunScenario = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    input: JsonValue,
    startAt: Type.Optional(Type.String({ format: 'date-time' })),
    tasks: Type.Optional(StepIdKeyed(TaskAnswer)),
    events: Type.Optional(Type.Array(DryRunEvent, { maxItems: 1000 })),
    activities: Type.Optional(StepIdKeyed(ActivityAnswer)),
    children: Type.Optional(StepIdKeyed(ChildAnswer)),
    cancelAfterMs: Type.Optional({
      ...AfterMs,
      description: 'Cancel the instance this many virtual ms after the start.',
    }),
    expect: Type.Optional(DryRunExpectations),
  },
  { additionalProperties: false },
);
export type DryRunScenario = Static<typeof DryRunScenario>;

export const DryRunStatus = Type.Union([
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
  Type.Literal('waiting'),
  Type.Literal('continued-as-new'),
  /** A step failed with nobody to handle it: a real instance would wait for an operator there. */
  Type.Literal('incident'),
]);
export type DryRunStatus = Static<typeof DryRunStatus>;

const Path = Type.String({ description: 'The plan step’s path, e.g. steps[2].switch[0].do[1].' });

export const DryRunResult = Type.Object({
  status: DryRunStatus,
  result: Type.Optional(JsonValue),
  error: Type.Optional(
    Type.Object({ code: Type.String(), message: Type.String(), stepId: Type.Optional(Type.String()) }),
  ),
  waitingAt: Type.Array(
    Type.Object({ stepId: Type.String(), path: Path, kind: Type.String(), detail: Type.Optional(Type.String()) }),
  ),
  steps: Type.Array(
    Type.Object({
      stepId: Type.String(),
      path: Path,
      kind: Type.String(),
      status: Type.Union([
        Type.Literal('completed'),
        Type.Literal('failed'),
        Type.Literal('skipped'),
        Type.Literal('running'),
      ]),
      iteration: Type.String({ description: 'Loop counters, as in task ids: 0 outside loops.' }),
      atMs: Type.Number({ description: 'Virtual ms since the start.' }),
      input: Type.Optional(JsonValue),
      result: Type.Optional(JsonValue),
    }),
  ),
  activities: Type.Array(
    Type.Object({
      stepId: Type.String(),
      path: Path,
      activity: Type.String(),
      params: JsonValue,
      result: Type.Optional(JsonValue),
      error: Type.Optional(Type.Object({ type: Type.String(), message: Type.String() })),
      generated: Type.Boolean({ description: 'The result is a sample made from the activity’s result schema.' }),
    }),
  ),
  tasks: Type.Array(
    Type.Object({
      taskId: Type.String(),
      stepId: Type.String(),
      path: Path,
      title: Type.String(),
      outcome: Type.Optional(Type.String()),
      form: Type.Optional(JsonValue),
      assignee: Type.Optional(
        Type.Union([Type.String(), Type.Null()], { description: 'Who holds the task at the end of the run.' }),
      ),
      actions: Type.Optional(
        Type.Array(
          Type.Object({
            kind: Type.Union([Type.Literal('claim'), Type.Literal('delegate'), Type.Literal('release')]),
            by: Type.String(),
            to: Type.Optional(Type.String()),
            atMs: Type.Number(),
            rejected: Type.Optional(Type.String({ description: 'Why the workflow refused the Update.' })),
          }),
        ),
      ),
    }),
  ),
  vars: JsonRecord,
  timeline: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      atMs: Type.Number(),
      type: Type.String(),
      stepId: Type.Union([Type.String(), Type.Null()]),
      path: Type.Union([Type.String(), Type.Null()]),
      detail: Type.Optional(JsonValue),
    }),
  ),
  virtualMs: Type.Number({ description: 'Virtual time the run covered.' }),
  wallMs: Type.Number({ description: 'Real time the run took.' }),
  expectations: Type.Array(Type.Object({ what: Type.String(), ok: Type.Boolean(), message: Type.String() })),
});
export type DryRunResult = Static<typeof DryRunResult>;
export type DryRunStep = DryRunResult['steps'][number];
export type DryRunActivity = DryRunResult['activities'][number];
export type DryRunTask = DryRunResult['tasks'][number];
export type DryRunTaskAction = NonNullable<DryRunTask['actions']>[number];
