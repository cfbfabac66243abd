import type { ActivityCatalog } from './activity-contract';
import type { ExpectedValue, ExpressionChecker } from './cel/check';
import {
  emptyDelta,
  extendScope,
  mergeDelta,
  withStepError,
  type ExpressionScope,
  type ScopeDelta,
} from './cel/scope-types';
import { subschemaAt, type JsonSchema } from './cel/schema-types';
import { createDiagnostic, type Diagnostic, type DiagnosticCode } from './diagnostics';
import { parseDuration } from './duration';
import type { TemplateLimits } from './limits';
import type { SequenceRecord, StepRecord, TemplateModel } from './model';
import type { ParsedTemplate } from './parse';
import { formatPath, type Path } from './path';
import type { StepPlan } from './plan';
import { COMMON_STEP_KEYS, isStepKind, STEP_KIND_DEFINITIONS } from './steps';
import { BOOLEAN, isRecord, type CompiledSequence, type StepContext } from './steps/step-kind';
import { compileValueTemplate, expressionSource } from './value-template';

/**
 * Walks a template's steps once, in order, building plan nodes through each kind's compiler and
 * recording into the model every step, sequence, expression and duration with the scope it sees.
 * It reports only structural problems step kinds find; everything else is left to the lint rules.
 */
export class TemplateWalker {
  readonly diagnostics: Diagnostic[] = [];
  /** True once a size limit was hit: the walk stopped short, so later stages would only mislead. */
  overLimit = false;
  private depth = 0;

  constructor(
    private readonly parsed: ParsedTemplate,
    readonly model: TemplateModel,
    private readonly checker: ExpressionChecker,
    private readonly limits: Pick<TemplateLimits, 'maxSteps' | 'maxStepDepth'>,
  ) {}

  expr(path: Path, value: unknown, scope: ExpressionScope, expect?: ExpectedValue) {
    const source = expressionSource(value);
    if (source === undefined) return undefined;
    this.model.expressions.push({ path, source, scope, ...(expect ? { expect } : {}) });
    return { $expr: source };
  }

  value(path: Path, value: unknown, scope: ExpressionScope, expect?: ExpectedValue) {
    return compileValueTemplate(value, (at, source) => {
      this.model.expressions.push({
        path: [...path, ...at],
        source,
        scope,
        ...(expect ? { expect: { ...expect, schema: subschemaAt(expect.schema, at) } } : {}),
      });
    });
  }

  duration(path: Path, value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const result = parseDuration(value);
    this.model.durations.push({ path, text: value, result });
    return result.ok ? result.ms : undefined;
  }

  sequence(path: Path, value: unknown, scope: ExpressionScope): CompiledSequence {
    const sequence: SequenceRecord = { path, steps: [] };
    const steps: StepPlan[] = [];
    const certain = emptyDelta();
    if (this.overLimit) return { steps, certain };
    if (this.depth >= this.limits.maxStepDepth) {
      this.reportLimit('limit.step-depth', path, `steps are nested more than ${this.limits.maxStepDepth} deep here`);
      return { steps, certain };
    }
    this.model.sequences.push(sequence);
    this.depth += 1;
    let current = scope;
    (Array.isArray(value) ? value : []).forEach((raw, index) => {
      if (this.overLimit) return;
      if (this.model.steps.length >= this.limits.maxSteps) {
        this.reportLimit(
          'limit.steps',
          [...path, index],
          `the template has more than ${this.limits.maxSteps} steps (nested ones included); split it into templates that call each other with process steps`,
        );
        return;
      }
      const { record, after } = this.step(raw, [...path, index], current, sequence, index);
      if (record?.plan) steps.push(record.plan);
      mergeDelta(certain, after);
      current = extendScope(current, after);
    });
    this.depth -= 1;
    return { steps, certain };
  }

  private reportLimit(code: DiagnosticCode, path: Path, message: string): void {
    this.overLimit = true;
    this.diagnostics.push(createDiagnostic(code, formatPath(path), this.parsed.rangeOf(path), message));
  }

  private step(
    raw: unknown,
    path: Path,
    scope: ExpressionScope,
    sequence: SequenceRecord,
    index: number,
  ): { record?: StepRecord; after: ScopeDelta } {
    const after = emptyDelta();
    if (!isRecord(raw)) return { after };
    const keys = Object.keys(raw);
    const kindKeys = keys.filter(isStepKind);
    const common = COMMON_STEP_KEYS as readonly string[];
    const record: StepRecord = {
      ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
      kindKeys,
      strayKeys: keys.filter((key) => !common.includes(key) && !isStepKind(key)),
      path,
      raw,
      sequence,
      index,
      scope,
    };
    sequence.steps.push(record);
    this.model.steps.push(record);
    const kind = kindKeys.length === 1 ? kindKeys[0] : undefined;
    if (kind === undefined || !isStepKind(kind)) {
      // Later steps may still name it: keep it in scope, untyped, so only one diagnostic is about it.
      if (record.id !== undefined) after.steps.set(record.id, {});
      return { record, after };
    }
    record.kind = kind;
    const definition = STEP_KIND_DEFINITIONS[kind];
    const context = this.contextFor(record);
    const condition = this.expr([...path, 'if'], raw.if, scope, BOOLEAN);
    const compiled = definition.compile(raw, context);
    const onError = isRecord(raw.onError)
      ? {
          steps: this.sequence([...path, 'onError', 'steps'], raw.onError.steps, withStepError(scope)).steps,
          then: raw.onError.then === 'continue' ? ('continue' as const) : ('fail' as const),
        }
      : undefined;
    record.plan = {
      id: record.id ?? '',
      kind,
      path: formatPath(path),
      ...(condition ? { if: condition } : {}),
      ...compiled.body,
      ...(onError ? { onError } : {}),
    } as StepPlan;
    if (compiled.certain) mergeDelta(after, compiled.certain);
    if (record.id !== undefined) after.steps.set(record.id, definition.resultSchema(raw, context));
    return { record, after };
  }

  private contextFor(record: StepRecord): StepContext {
    const { path, scope } = record;
    const here = (at: Path): Path => [...path, ...at];
    return {
      ...(record.id !== undefined ? { id: record.id } : {}),
      path,
      scope,
      catalog: this.model.catalog as ActivityCatalog,
      expr: (at, value, expect, own) => this.expr(here(at), value, own ?? scope, expect),
      value: (at, value, expect, own) => this.value(here(at), value, own ?? scope, expect),
      duration: (at, value) => this.duration(here(at), value),
      sequence: (at, value, own) => this.sequence(here(at), value, own ?? scope),
      itemSchemaOf: (source, own) => {
        const schema = this.checker.check(source, own).schema;
        return typeof schema === 'object' && schema.type === 'array' && schema.items !== undefined
          ? (schema.items as JsonSchema)
          : {};
      },
      report: (code: DiagnosticCode, at, message) => {
        this.diagnostics.push(createDiagnostic(code, formatPath(here(at)), this.parsed.rangeOf(here(at)), message));
      },
    };
  }
}
