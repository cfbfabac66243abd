import type { Environment } from '@marcbachmann/cel-js';
import type { DiagnosticCode } from '../diagnostics';
import { formatPath } from '../path';
import { closestName, didYouMean, listOf } from '../suggest';
import { memberChain, stringLiteral, walkAst, isAstNode, type AstNode } from './ast';
import { createCelEnvironment } from './environment';
import { declareScope, ROOT_NAMES, type ExpressionScope } from './scope-types';
import { subschemaAt, type CelTypeRegistrar, type JsonSchema } from './schema-types';
import { describeCelType, describeSchemaType, describeTypeError, fitsSchema } from './type-messages';

/** A problem in one expression; offsets are into the expression text (after the `=`). */
export interface ExpressionProblem {
  code: DiagnosticCode;
  message: string;
  start: number;
  end: number;
  /** A "did you mean": `[start, end)` of the expression, which should read `from`, replaced by `to`. */
  fix?: ExpressionFix;
}

export interface ExpressionFix {
  start: number;
  end: number;
  from: string;
  to: string;
}

/** What the value must be: a condition, a list, a parameter's schema. */
export interface ExpectedValue {
  schema: JsonSchema;
  /** Code for a mismatch; `expr.type` unless the place has its own (activity parameters). */
  code?: DiagnosticCode;
}

/** Everything the template declares anywhere, to tell "not run yet" from "does not exist". */
export interface TemplateNames {
  steps: ReadonlySet<string>;
  /** Variable name → where it is set (for the message). */
  vars: ReadonlyMap<string, string>;
}

export interface ExpressionCheck {
  problems: ExpressionProblem[];
  /** The CEL type of the value, when the expression is valid. */
  type?: string;
  /** The JSON Schema of the value, when the checker can tell (used for a forEach item). */
  schema?: JsonSchema;
}

const NO_NAMES: TemplateNames = { steps: new Set(), vars: new Map() };

/**
 * Parses and type-checks expressions at publish time in a clone of the very environment the
 * workflow evaluates with, declaring `input`, `steps.<id>`, `vars` and the locals in scope with
 * types from their schemas. One clone per scope: the steps of one sequence share it.
 */
export class ExpressionChecker {
  private readonly base = createCelEnvironment();
  private readonly scoped = new WeakMap<ExpressionScope, { env: Environment; types: CelTypeRegistrar }>();

  constructor(private readonly inputSchema: JsonSchema) {}

  check(
    source: string,
    scope: ExpressionScope,
    names: TemplateNames = NO_NAMES,
    expect?: ExpectedValue,
  ): ExpressionCheck {
    if (source.trim() === '')
      return { problems: [{ code: 'expr.syntax', message: "the expression after '=' is empty", start: 0, end: 0 }] };
    const { env, types } = this.environmentFor(scope);
    let ast: unknown;
    try {
      ast = env.parse(source).ast;
    } catch (error) {
      return { problems: [problemFrom('expr.syntax', error, source)] };
    }
    const problems = this.checkReferences(ast, scope, names);
    if (problems.length > 0) return { problems };

    const result = env.check(source);
    if (!result.valid) {
      const error = result.error;
      const code: DiagnosticCode =
        error?.name === 'ParseError'
          ? 'expr.syntax'
          : (error as { code?: string } | undefined)?.code === 'unknown_variable'
            ? 'expr.unknown-reference'
            : 'expr.type';
      const problem = problemFrom(code, error, source);
      if (code === 'expr.unknown-reference')
        problem.message += `; expressions can use ${listOf([...ROOT_NAMES, ...scope.locals.keys()])}`;
      const missing =
        (error as { code?: string } | undefined)?.code === 'no_such_key'
          ? this.describeMissingField(ast, problem, scope)
          : undefined;
      if (missing) Object.assign(problem, missing);
      return { problems: [problem] };
    }
    const type = result.type ?? 'dyn';
    problems.push(...this.checkEnumComparisons(ast, scope, names));
    if (expect && !fitsSchema(type, expect.schema)) {
      problems.push({
        code: expect.code ?? 'expr.type',
        message: `must give ${describeSchemaType(expect.schema)}, but this expression gives ${describeCelType(type)}`,
        start: 0,
        end: source.length,
      });
    }
    return { problems, type, schema: types.schemaOf(type) };
  }

  private environmentFor(scope: ExpressionScope) {
    let entry = this.scoped.get(scope);
    if (!entry) {
      const env = this.base.clone({ unlistedVariablesAreDyn: false });
      entry = { env, types: declareScope(env, scope, this.inputSchema) };
      this.scoped.set(scope, entry);
    }
    return entry;
  }

  // `steps.x` and `vars.y`: a name that exists elsewhere in the template but has not certainly
  // run (or been set) here is told apart from a name that exists nowhere.
  private checkReferences(ast: unknown, scope: ExpressionScope, names: TemplateNames): ExpressionProblem[] {
    const problems: ExpressionProblem[] = [];
    walkAst(ast, (node, bound) => {
      if (node.op !== '.' && node.op !== '[]' && node.op !== '.?' && node.op !== '[?]') return;
      const [target, key] = node.args as [unknown, unknown];
      if (!isAstNode(target) || target.op !== 'id' || bound.has(target.args as string)) return;
      const name = typeof key === 'string' ? key : stringLiteral(key);
      if (name === undefined) return;
      const at = { start: node.range.start, end: node.range.end };
      if (target.args === 'steps' && !scope.steps.has(name)) {
        problems.push(
          names.steps.has(name)
            ? {
                code: 'expr.not-yet-run',
                message: `step '${name}' has not certainly run at this point, so steps.${name} may not exist; only steps before this one in the same sequence (or before its enclosing steps) can be used`,
                ...at,
              }
            : {
                code: 'expr.unknown-reference',
                message: `there is no step '${name}'${didYouMean(name, names.steps)}`,
                ...at,
                fix: trailingNameFix(at, name, closestName(name, names.steps)),
              },
        );
      }
      if (target.args === 'vars' && !scope.vars.has(name)) {
        const setBy = names.vars.get(name);
        problems.push(
          setBy !== undefined
            ? {
                code: 'expr.not-yet-run',
                message: `variable '${name}' is set only by ${setBy}, which has not certainly run at this point; give it an initial value under vars:`,
                ...at,
              }
            : {
                code: 'expr.unknown-reference',
                message: `there is no variable '${name}'${didYouMean(name, names.vars.keys())}; declare it under vars: or set it with a set step`,
                ...at,
                fix: trailingNameFix(at, name, closestName(name, names.vars.keys())),
              },
        );
      }
    });
    return problems;
  }

  private schemaOfChain(chain: readonly (string | number)[], scope: ExpressionScope): JsonSchema | undefined {
    const [root, ...rest] = chain;
    let schema: JsonSchema | undefined;
    if (root === 'input') schema = this.inputSchema;
    else if (root === 'steps' && typeof rest[0] === 'string') schema = scope.steps.get(rest.shift() as string);
    else if (typeof root === 'string') schema = scope.locals.get(root);
    return schema === undefined ? undefined : subschemaAt(schema, rest);
  }

  private describeMissingField(
    ast: unknown,
    problem: ExpressionProblem,
    scope: ExpressionScope,
  ): Pick<ExpressionProblem, 'message' | 'fix'> | undefined {
    let found: Pick<ExpressionProblem, 'message' | 'fix'> | undefined;
    walkAst(ast, (node) => {
      if (found !== undefined || node.op !== '.' || node.range.end !== problem.end) return;
      const [target, field] = node.args as [AstNode, string];
      const chain = memberChain(target);
      const schema = chain && this.schemaOfChain(chain, scope);
      const fields = typeof schema === 'object' && schema.properties ? Object.keys(schema.properties as object) : [];
      if (!chain || fields.length === 0) return;
      found = {
        message: `'${field}' is not a field of ${formatPath(chain)}${didYouMean(field, fields)} (fields: ${listOf(fields)})`,
        fix: trailingNameFix(node.range, field, closestName(field, fields)),
      };
    });
    return found;
  }

  // `steps.review.outcome == "aproved"`: CEL types the outcome as a string, but the task lists
  // its outcomes, and a misspelt one would silently never match.
  private checkEnumComparisons(ast: unknown, scope: ExpressionScope, names: TemplateNames): ExpressionProblem[] {
    const problems: ExpressionProblem[] = [];
    walkAst(ast, (node, bound) => {
      if (node.op !== '==' && node.op !== '!=') return;
      const [left, right] = node.args as [unknown, unknown];
      for (const [side, other] of [
        [left, right],
        [right, left],
      ] as const) {
        const literal = stringLiteral(other);
        const chain = memberChain(side);
        if (literal === undefined || !chain || bound.has(String(chain[0]))) continue;
        const schema = this.schemaOfChain(chain, scope);
        const allowed =
          typeof schema === 'object' && Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
        if (!allowed || allowed.includes(literal)) continue;
        const isOutcome =
          chain[0] === 'steps' && chain[2] === 'outcome' && chain.length === 3 && names.steps.has(String(chain[1]));
        const values = allowed.map(String);
        problems.push({
          code: isOutcome ? 'task.unknown-outcome' : 'expr.type',
          message: `'${literal}' is not ${isOutcome ? 'an outcome of task' : 'a value of'} ${isOutcome ? `'${String(chain[1])}'` : formatPath(chain)}${didYouMean(literal, values)} (it can be ${listOf(values.map((v) => `'${v}'`))})`,
          start: isAstNode(other) ? other.range.start : node.range.start,
          end: isAstNode(other) ? other.range.end : node.range.end,
          fix: isAstNode(other) ? literalFix(other, literal, closestName(literal, values)) : undefined,
        });
      }
    });
    return problems;
  }
}

/** `steps.revew` → `steps.review`: the name is the last thing in the member access. */
function trailingNameFix(
  at: { start: number; end: number },
  name: string,
  meant: string | undefined,
): ExpressionFix | undefined {
  return meant === undefined ? undefined : { start: at.end - name.length, end: at.end, from: name, to: meant };
}

/** `"aproved"` → `"approved"`: inside the literal's quotes. */
function literalFix(literal: AstNode, value: string, meant: string | undefined): ExpressionFix | undefined {
  if (meant === undefined) return undefined;
  return { start: literal.range.start + 1, end: literal.range.end - 1, from: value, to: meant };
}

function problemFrom(code: DiagnosticCode, error: unknown, source: string): ExpressionProblem {
  const e = error as { summary?: string; message?: string; range?: { start: number; end: number } } | undefined;
  const summary = e?.summary ?? e?.message?.split('\n')[0] ?? String(error);
  const message =
    code === 'expr.type'
      ? describeTypeError(summary)
      : code === 'expr.syntax'
        ? `syntax error: ${summary === 'Unexpected token: EOF' ? 'the expression ends too early' : summary}`
        : summary;
  const start = Math.min(e?.range?.start ?? 0, source.length);
  return { code, message, start, end: Math.max(start, Math.min(e?.range?.end ?? source.length, source.length)) };
}
