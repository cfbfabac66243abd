import type { ActivityCatalog } from './activity-contract';
import type { ExpectedValue } from './cel/check';
import type { ExpressionScope } from './cel/scope-types';
import type { JsonSchema } from './cel/schema-types';
import type { DurationResult } from './duration';
import type { Path } from './path';
import type { StepKind, StepPlan } from './plan';

/**
 * What the compiler learnt walking a template: every step, sequence, expression and duration
 * with its path and the scope it sees. Lint rules (dsl/lint/) read only this.
 */
export interface TemplateModel {
  key?: string;
  inputSchema: JsonSchema;
  catalog: ActivityCatalog;
  steps: StepRecord[];
  sequences: SequenceRecord[];
  expressions: ExpressionSite[];
  durations: DurationSite[];
}

export interface StepRecord {
  /** The step's id when it is a string (the schema reports anything else). */
  id?: string;
  /** Undefined when the step names no known kind, or more than one. */
  kind?: StepKind;
  /** Keys that are step kinds, and keys that are neither kinds nor common step fields. */
  kindKeys: string[];
  strayKeys: string[];
  path: Path;
  raw: Record<string, unknown>;
  plan?: StepPlan;
  sequence: SequenceRecord;
  index: number;
  /** What expressions before the step can see. */
  scope: ExpressionScope;
}

export interface SequenceRecord {
  path: Path;
  steps: StepRecord[];
}

export interface ExpressionSite {
  path: Path;
  /** The text after `=`, trimmed. */
  source: string;
  scope: ExpressionScope;
  expect?: ExpectedValue;
}

export interface DurationSite {
  path: Path;
  text: string;
  result: DurationResult;
}
