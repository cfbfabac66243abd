import { Type } from 'typebox';
import {
  Cursor,
  DateTime,
  JsonObject,
  JsonValue,
  Limit,
  NullableDateTime,
  NullableString,
  Page,
} from './json-and-paging';

export const InstanceStatus = Type.Union([
  Type.Literal('running'),
  Type.Literal('incident'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const StartInstanceBody = Type.Object(
  {
    template: Type.String({
      description: 'Template key; the newest published version starts.',
      examples: ['lead-assignment'],
    }),
    input: JsonValue,
  },
  { additionalProperties: false },
);

export { IdempotencyHeaders } from './idempotency';

const TemporalUrl = Type.String({ description: "The instance's workflow in the Temporal Web UI." });

export const StartedInstance = Type.Object({
  id: Type.String(),
  templateKey: Type.String(),
  version: Type.Integer(),
  businessKey: NullableString,
  status: InstanceStatus,
  temporalUrl: TemporalUrl,
});

export const Instance = Type.Object({
  id: Type.String(),
  templateKey: Type.String(),
  version: Type.Integer(),
  businessKey: NullableString,
  parentId: NullableString,
  status: InstanceStatus,
  startedAt: DateTime,
  endedAt: NullableDateTime,
  currentSteps: Type.Array(Type.String()),
  result: Type.Optional(JsonValue),
  error: Type.Optional(JsonValue),
  incidentCount: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Activities of the instance failing repeatedly (incidents); lists only.' }),
  ),
  temporalUrl: TemporalUrl,
});

export const Incident = Type.Object({
  activityId: Type.String({ description: "Temporal's id of the scheduled activity within the workflow." }),
  activityType: Type.String({ examples: ['mail.send'] }),
  attempt: Type.Integer({ description: 'The attempt that failed last.' }),
  message: Type.String(),
  firstFailedAt: DateTime,
  lastFailedAt: DateTime,
});

/** A step held in incident (contracts/engine.ts IncidentView). */
export const StepIncident = Type.Object({
  stepId: Type.String({ description: 'The step held: it runs again on retry.' }),
  failedStepId: Type.String({ description: 'The innermost step the failure came from.' }),
  path: Type.String(),
  iteration: Type.String(),
  code: Type.String({ examples: ['expression.failed'] }),
  message: Type.String(),
  since: DateTime,
});

/** One instance with what its page needs. */
export const InstanceDetail = Type.Object({
  ...Instance.properties,
  templateName: NullableString,
  plan: Type.Union([JsonObject, Type.Null()], {
    description:
      "The compiled plan of the instance's version (dsl/plan.ts ProcessPlan), for whoever may read the instance: the diagram is drawn from it. Null until the instance is projected.",
  }),
  incidents: Type.Array(Incident),
  stepIncidents: Type.Array(StepIncident, {
    description:
      'Steps held in incident (status `incident`): the error and since when; retry, edit variables, fail or cancel.',
  }),
  allowed: Type.Object(
    {
      cancel: Type.Boolean(),
      sendEvent: Type.Boolean(),
      retry: Type.Boolean(),
      editVariables: Type.Boolean(),
      fail: Type.Boolean(),
    },
    { description: 'The actions the caller may take on this instance now (its rights and the instance status).' },
  ),
});

export const InstanceListQuery = Type.Object(
  {
    template: Type.Optional(Type.String()),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'A version of `template` (required with it).' })),
    status: Type.Optional(
      Type.Union(InstanceStatus.anyOf, {
        description:
          '`incident`: instances with a step held in incident (waiting for an operator) or an activity failing repeatedly.',
      }),
    ),
    businessKey: Type.Optional(Type.String()),
    startedFrom: Type.Optional(DateTime),
    startedTo: Type.Optional(DateTime),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const InstancePage = Page(Instance);

export const InstanceIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const TimelineEntry = Type.Object({
  seq: Type.Integer(),
  at: DateTime,
  type: Type.String(),
  stepId: NullableString,
  path: NullableString,
  detail: Type.Optional(JsonValue),
});

export const Timeline = Type.Object({ items: Type.Array(TimelineEntry) });

export const SendEventBody = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 200, examples: ['stock.received'] }),
    payload: Type.Optional(JsonValue),
    eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Deduplicates a resent event.' })),
  },
  { additionalProperties: false },
);

export const Accepted = Type.Object({ accepted: Type.Literal(true), instanceId: Type.String() });

export const OpenTask = Type.Object({
  taskId: Type.String(),
  stepId: Type.String(),
  title: Type.String(),
  assignee: NullableString,
  candidateRole: NullableString,
  dueAt: NullableDateTime,
  priority: Type.String(),
  escalationLevel: Type.Integer(),
});

export const InstanceStateBody = Type.Object({
  instanceId: Type.String(),
  status: InstanceStatus,
  source: Type.Union([Type.Literal('workflow'), Type.Literal('projection')], {
    description: '`workflow`: its state query answered; `projection`: the workflow could not be asked (values absent).',
  }),
  visibility: Type.Union([Type.Literal('full'), Type.Literal('structure')], {
    description:
      "`full` (holders of instances.see-all): variables, step results and event payloads. `structure` (any other reader of the instance): which steps ran, tasks, event names and timers, but no values: they may carry data of records beyond the reader's field rights (contacts, amounts), which the engine cannot tell apart.",
  }),
  currentSteps: Type.Array(Type.String()),
  vars: Type.Union([JsonObject, Type.Null()]),
  steps: Type.Union([JsonObject, Type.Null()], { description: 'Step results by step id.' }),
  tasks: Type.Array(OpenTask, { description: 'Open tasks.' }),
  incidents: Type.Array(StepIncident, {
    description: 'Steps held in incident (status `incident`), waiting for an operator; empty from the projection.',
  }),
  events: Type.Object({
    received: Type.Array(
      Type.Object(
        { event: Type.String(), eventId: Type.String(), at: DateTime },
        { description: 'From the timeline.' },
      ),
    ),
    ignored: Type.Array(
      Type.Object(
        { event: Type.String(), eventId: Type.String(), at: DateTime },
        {
          description:
            'From the timeline: arrived while no `receive` could take it (none waiting, none with `buffer`), so dropped.',
        },
      ),
    ),
    buffered: Type.Array(
      Type.Object(
        { event: Type.String(), eventId: Type.String(), payload: Type.Optional(JsonValue) },
        { description: 'Received and not yet taken by a `receive` step.' },
      ),
    ),
  }),
  timers: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('wait'), Type.Literal('receive-timeout'), Type.Literal('task-due')]),
      stepId: Type.String(),
      path: NullableString,
      fireAt: NullableDateTime,
    }),
    { description: 'Pending timers: waits, receive timeouts, due dates of open tasks.' },
  ),
});

export const BulkCancelBody = Type.Object(
  { ids: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50, uniqueItems: true }) },
  { additionalProperties: false },
);

export const BulkCancelResult = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      outcome: Type.Union([Type.Literal('cancelled'), Type.Literal('not-running'), Type.Literal('not-found')]),
    }),
  ),
});

export const RetryAccepted = Type.Object({
  accepted: Type.Literal(true),
  instanceId: Type.String(),
  activities: Type.Array(Type.String(), { description: 'Ids of the activities scheduled again now.' }),
  steps: Type.Array(Type.String(), { description: 'Ids of the steps held in incident that run again now.' }),
  runId: Type.Optional(
    Type.String({ description: 'A failed instance: the new run that continues it from before the failure.' }),
  ),
});

export const SetVariablesBody = Type.Object(
  {
    vars: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), JsonValue, {
      description: 'Variables to set (merged over the current ones; JSON values).',
    }),
  },
  { additionalProperties: false },
);

export const VariablesSet = Type.Object({
  instanceId: Type.String(),
  vars: JsonObject,
});

export const IncidentFailed = Type.Object({
  accepted: Type.Literal(true),
  instanceId: Type.String(),
  steps: Type.Array(Type.String(), {
    description: 'Ids of the steps held in incident; the instance fails with their error.',
  }),
});
