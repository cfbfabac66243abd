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
  stepId: Type.String(),
  title: Type.String(),
  description: NullableString,
  assignee: NullableString,
  candidateRole: NullableString,
  candidateUsers: Type.Array(Type.String()),
  outcomes: Type.Array(Type.String()),
  outcomeLabels: Type.Record(Type.String(), Type.String(), {
    description: "Each outcome's label in the request's locale; the outcome id when the template gives none.",
  }),
  form: Type.Union([JsonObject, Type.Null()]),
  priority: TaskPriority,
  dueAt: NullableDateTime,
  status: TaskStatus,
  outcome: NullableString,
  formData: Type.Union([JsonObject, Type.Null()]),
  comment: NullableString,
  completedBy: NullableString,
  completedAt: NullableDateTime,
  createdAt: DateTime,
});

export const TaskListQuery = Type.Object(
  {
    assignee: Type.Optional(Type.String({ description: '`me` or a user id.' })),
    candidateRole: Type.Optional(Type.String()),
    status: Type.Optional(TaskStatus),
    dueBefore: Type.Optional(DateTime),
    template: Type.Optional(Type.String()),
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
