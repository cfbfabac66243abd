import { Type } from 'typebox';
import { NO_NUL_PATTERN } from '../input-limits/limit-schema';
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

export const TaskStatus = Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')]);
export const TaskPriority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);

export const Task = Type.Object({
  id: Type.String(),
  instanceId: Type.String(),
  templateKey: Type.String(),
  templateName: Type.String({ description: "The name of the template's version the instance runs." }),
  businessKey: Type.Union([Type.String(), Type.Null()], { description: "The instance's business key." }),
  stepId: Type.String(),
  title: Type.String(),
  description: NullableString,
  assignee: NullableString,
  assigneeName: Type.Union([Type.String(), Type.Null()], { description: "The assignee's name (their id if unknown)." }),
  candidateRole: NullableString,
  candidateUsers: Type.Array(Type.String()),
  outcomes: Type.Array(Type.String()),
  outcomeLabels: Type.Record(Type.String(), Type.String(), {
    description: "Each outcome's label in the request locale (the outcome id when the template gives none).",
  }),
  form: Type.Union([JsonObject, Type.Null()]),
  needsForm: Type.Boolean({
    description: 'Its form has a required field: it cannot be completed in bulk or from a mail link.',
  }),
  priority: TaskPriority,
  dueAt: NullableDateTime,
  status: TaskStatus,
  outcome: NullableString,
  formData: Type.Union([JsonObject, Type.Null()]),
  comment: NullableString,
  completedBy: NullableString,
  completedByName: Type.Union([Type.String(), Type.Null()], { description: 'The name of who completed it.' }),
  completedAt: NullableDateTime,
  createdAt: DateTime,
});

export const InboxView = Type.Union(
  [Type.Literal('mine'), Type.Literal('queue'), Type.Literal('unassigned'), Type.Literal('done')],
  {
    description:
      '`mine`: open, assigned to me; `queue`: open, unassigned, mine to claim; `unassigned`: the queue plus the queues of the team I lead (every one for administrators); `done`: completed by me or closed while I held it.',
  },
);
export const TaskSort = Type.Union(
  [Type.Literal('due'), Type.Literal('priority'), Type.Literal('template'), Type.Literal('created')],
  { description: 'Default `created`. Ties go by creation, then id, in the same direction.' },
);
export const SortOrder = Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
  description: 'Default per sort: due asc (no due date last), priority desc, template asc, created desc.',
});

/** The inbox's own parameters: what a saved view's query may hold. */
export const InboxQueryFields = {
  view: Type.Optional(InboxView),
  sort: Type.Optional(TaskSort),
  order: Type.Optional(SortOrder),
  template: Type.Optional(Type.String()),
  priority: Type.Optional(TaskPriority),
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL_PATTERN, description: 'Text in the title.' }),
  ),
};

export const TaskListQuery = Type.Object(
  {
    ...InboxQueryFields,
    assignee: Type.Optional(Type.String({ description: '`me` or a user id.' })),
    candidateRole: Type.Optional(Type.String()),
    status: Type.Optional(TaskStatus),
    dueBefore: Type.Optional(DateTime),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const TaskPage = Page(Task);

export const TaskIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 400 }) });

export const CompleteTaskBody = Type.Object(
  {
    outcome: Type.String({ minLength: 1, examples: ['approved'] }),
    form: Type.Optional(JsonObject),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const TaskCompleted = Type.Object({
  taskId: Type.String(),
  outcome: Type.String(),
  form: JsonObject,
  comment: NullableString,
  completedBy: Type.String(),
  completedAt: DateTime,
});

export const DelegateTaskBody = Type.Object(
  {
    to: Type.String({ minLength: 1, description: 'User id of the new assignee.' }),
  },
  { additionalProperties: false },
);

export const TaskState = Type.Object(
  {
    taskId: Type.String(),
    assignee: NullableString,
    status: TaskStatus,
    priority: TaskPriority,
    dueAt: NullableDateTime,
    outcome: Type.Optional(JsonValue),
  },
  { additionalProperties: true },
);

export const TaskCounts = Type.Object({
  mine: Type.Integer(),
  queue: Type.Integer(),
  unassigned: Type.Integer(),
  done: Type.Integer(),
  changedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'When a task counted here last changed; poll and refetch lists when it or a count moves.',
  }),
});

export const BulkTaskBody = Type.Object(
  {
    action: Type.Union([Type.Literal('claim'), Type.Literal('complete')]),
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 400 }), { minItems: 1, maxItems: 50, uniqueItems: true }),
    outcome: Type.Optional(Type.String({ minLength: 1, description: 'Required to complete.' })),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const BulkTaskResults = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      ok: Type.Boolean(),
      status: Type.Optional(Type.Integer({ description: 'What the single-task route would have answered.' })),
      problem: Type.Optional(Type.Object({ type: Type.String(), title: Type.String(), detail: Type.String() })),
    }),
  ),
});

export const TaskHistory = Type.Object({
  items: Type.Array(
    Type.Object({
      at: DateTime,
      type: Type.String(),
      actor: NullableString,
      actorName: NullableString,
      detail: Type.Union([JsonObject, Type.Null()]),
    }),
  ),
});

export const DelegatesQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of a name or e-mail.' })) },
  { additionalProperties: false },
);

export const Delegates = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), email: Type.Optional(Type.String()) })),
});
