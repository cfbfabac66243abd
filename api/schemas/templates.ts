import { Type, type Static } from 'typebox';
import { DateTime, JsonObject, NullableDateTime } from './json-and-paging';
import type { ProcessPlan } from '../../dsl/plan';
import { Problem } from './problem';

export const TemplateKeyParam = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'Template key (slug).' }),
});

const SourceRange = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], {
  description: 'UTF-16 offsets into the source, end exclusive.',
});

export const DiagnosticFix = Type.Object({
  title: Type.String({ examples: ["Replace with 'crm.approvalLevels'"] }),
  range: SourceRange,
  text: Type.String({ description: 'Replaces `range` of the source.' }),
});

export const LocatedDiagnostic = Type.Object({
  code: Type.String({ examples: ['expr.unknown-reference'] }),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  message: Type.String(),
  path: Type.String({ examples: ['steps[2].task.assignee'] }),
  range: SourceRange,
  line: Type.Integer({ minimum: 1, description: 'Of range[0], 1-based.' }),
  column: Type.Integer({ minimum: 1, description: 'Of range[0], 1-based, in UTF-16 code units.' }),
  endLine: Type.Integer({ minimum: 1, description: 'Of range[1].' }),
  endColumn: Type.Integer({ minimum: 1, description: 'Of range[1].' }),
  fixes: Type.Optional(Type.Array(DiagnosticFix, { description: 'One-click fixes, e.g. a "did you mean".' })),
});
export type LocatedDiagnostic = Static<typeof LocatedDiagnostic>;

export const TemplateProblem = Type.Object(
  {
    ...Problem.properties,
    diagnostics: Type.Array(LocatedDiagnostic),
  },
  { additionalProperties: true, description: 'A 422 listing every error of the template, each with line and column.' },
);

export const TemplateSummary = Type.Object({
  key: Type.String(),
  name: Type.String(),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  draftUpdatedAt: NullableDateTime,
});

export const DraftSaved = Type.Object({
  key: Type.String(),
  updatedAt: DateTime,
  valid: Type.Boolean(),
  diagnostics: Type.Array(LocatedDiagnostic),
});

export const ValidationResult = Type.Object({
  valid: Type.Literal(true),
  diagnostics: Type.Array(LocatedDiagnostic, { description: 'Warnings only.' }),
  plan: Type.Unsafe<ProcessPlan>({ ...JsonObject, description: 'The compiled ProcessPlan (dsl/plan.ts).' }),
});

export const VersionSummary = Type.Object({
  key: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  hash: Type.String(),
  publishedAt: DateTime,
  publishedBy: Type.String(),
});

export const Published = Type.Object({
  ...VersionSummary.properties,
  created: Type.Boolean({ description: 'False when identical content was already published as this version.' }),
});

export const VersionDetail = Type.Object({
  ...VersionSummary.properties,
  source: Type.String(),
  plan: JsonObject,
});

export const TemplateDetail = Type.Object({
  key: Type.String(),
  name: Type.String(),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  draft: Type.Union([
    Type.Object({ source: Type.String(), updatedAt: DateTime, updatedBy: Type.String() }),
    Type.Null(),
  ]),
});

export const DiffQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 1 }),
    to: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const VersionDiff = Type.Object({
  key: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  diff: Type.String({ description: "Unified diff of the two versions' YAML sources." }),
  changedLines: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
});

const JsonSchemaObject = Type.Unsafe<Record<string, unknown>>({ ...JsonObject, description: 'A JSON Schema.' });
const RuleRecords = Type.Union([Type.Literal('quotes'), Type.Literal('tickets'), Type.Literal('leads')]);

export const TemplateLanguage = Type.Object({
  activities: Type.Array(
    Type.Object({
      name: Type.String(),
      description: Type.String(),
      params: JsonSchemaObject,
      result: JsonSchemaObject,
      rule: Type.Optional(
        Type.Object(
          { policyParam: Type.String(), records: Type.Optional(RuleRecords) },
          { description: 'A pure CRM policy rule: what-if and backtest work on its call steps.' },
        ),
      ),
    }),
  ),
  roles: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
  triggerEvents: Type.Array(Type.Object({ event: Type.String(), description: Type.Optional(Type.String()) })),
  templates: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
});

export const TemplateImpact = Type.Object({
  key: Type.String(),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer({ minimum: 1 }),
      running: Type.Integer({ minimum: 0 }),
      waiting: Type.Array(Type.Object({ stepId: Type.String(), count: Type.Integer({ minimum: 1 }) })),
    }),
    { description: 'Versions with running instances, newest first.' },
  ),
});

export const RollbackBody = Type.Object(
  { to: Type.Integer({ minimum: 1, description: 'The version whose content becomes the next version.' }) },
  { additionalProperties: false },
);

const OptionalSource = Type.Optional(
  Type.String({ maxLength: 1_000_000, description: "The template's YAML; default: the saved draft." }),
);
const StepId = Type.String({ minLength: 1, maxLength: 200 });

export const WhatIfBody = Type.Object(
  {
    source: OptionalSource,
    stepId: StepId,
    request: Type.Record(Type.String(), Type.Unknown(), {
      description: "The rule's parameters other than its policy, e.g. { discountPercent: 26, totalCents: 7360000 }.",
    }),
  },
  { additionalProperties: false },
);

export const WhatIfResult = Type.Object({
  stepId: Type.String(),
  activity: Type.String(),
  policy: Type.Unknown({ description: "The draft step's literal policy (null: the rule's shipped default)." }),
  result: Type.Unknown({ description: "The rule's answer under the draft's policy." }),
  published: Type.Union([Type.Object({ version: Type.Integer(), result: Type.Unknown() }), Type.Null()], {
    description: "The same request under the newest published version's step of this id; null when there is none.",
  }),
});

export const BacktestBody = Type.Object(
  {
    source: OptionalSource,
    stepId: StepId,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const BacktestResult = Type.Object({
  stepId: Type.String(),
  activity: Type.String(),
  records: RuleRecords,
  total: Type.Integer({ minimum: 0 }),
  changed: Type.Integer({ minimum: 0 }),
  withheld: Type.Boolean({
    description:
      "True when the caller may not read these records (a designer): items are named #1, #2, … and carry no request; every owner's records are judged.",
  }),
  items: Type.Array(
    Type.Object({
      recordId: Type.String(),
      label: Type.String(),
      request: Type.Unknown({ description: 'The rule request built from the record; null when withheld.' }),
      published: Type.Unknown({ description: 'The result under the published policy; null when unpublished.' }),
      draft: Type.Unknown(),
      changed: Type.Boolean(),
    }),
  ),
});
