import { Type, type Static } from 'typebox';
import { DateTime, JsonObject, NullableDateTime } from './json-and-paging';
import { Problem } from './problem';

export const TemplateKeyParam = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'Template key (slug).' }),
});

export const LocatedDiagnostic = Type.Object({
  code: Type.String({ examples: ['expr.unknown-reference'] }),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  message: Type.String(),
  path: Type.String({ examples: ['steps[2].task.assignee'] }),
  line: Type.Integer({ minimum: 1 }),
  column: Type.Integer({ minimum: 1 }),
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
