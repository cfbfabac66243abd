import { Type } from 'typebox';

const Title = Type.Object({ en: Type.String(), 'zh-CN': Type.String() });

export const CommonReportFilter = Type.Enum(['from', 'to', 'region', 'team', 'owner']);

export const ReportList = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Title,
      right: Type.String(),
      filters: Type.Array(CommonReportFilter, {
        description: 'The common filters the report takes; any other is refused with 400 (does not apply).',
      }),
    }),
  ),
});

const DatePattern = '^\\d{4}-\\d{2}-\\d{2}$';
const Id = Type.String({ minLength: 1, maxLength: 200 });

/** The common filters and every report's own parameters (each report accepts only its own). */
export const ReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: DatePattern, description: 'First day of the period (YYYY-MM-DD).' })),
    to: Type.Optional(Type.String({ pattern: DatePattern, description: 'Last day of the period, included.' })),
    region: Type.Optional(Id),
    team: Type.Optional({
      ...Id,
      description: "A manager's user id: their team's records (themself, their reports, their region).",
    }),
    owner: Type.Optional({
      ...Id,
      description: "A user id: that person's records (tickets: the assignee; tasks: the assignee).",
    }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    by: Type.Optional(Type.String({ description: 'sales: region | product | rep.' })),
    view: Type.Optional(
      Type.String({
        description: 'quote-approvals: levels | reasons; survey-scores: questions | trend | low | keywords.',
      }),
    ),
    survey: Type.Optional({ ...Id, description: 'survey-scores: only this survey’s responses.' }),
    template: Type.Optional({ ...Id, description: 'open-tasks-heatmap: only tasks of this template.' }),
  },
  { additionalProperties: false },
);

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);

export const ReportAnswer = Type.Object({
  name: Type.String(),
  filters: Type.Record(Type.String(), Type.String()),
  columns: Type.Array(
    Type.Object({
      key: Type.String(),
      type: Type.Enum(['string', 'number', 'percent', 'cents', 'date', 'month', 'ms', 'hours'], {
        description: 'percent: a fraction (0.25 = 25 %); cents: integer money; month: YYYY-MM; date: YYYY-MM-DD.',
      }),
      title: Title,
      values: Type.Optional(Type.Record(Type.String(), Title, { description: 'Titles of the coded values.' })),
    }),
  ),
  rows: Type.Array(Type.Record(Type.String(), Cell)),
  totals: Type.Optional(Type.Record(Type.String(), Type.Number())),
});
