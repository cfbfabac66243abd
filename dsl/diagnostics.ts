/**
 * One diagnostic type for every stage (YAML, schema, compile, lint), after eemeli/yaml: a closed
 * union of codes, an offset range into the source, severity by code. Line and column are worked
 * out only for display ({@link formatDiagnostic}) or for the API ({@link toLocated}).
 */

/** Every code the template language reports, with its severity. Codes are stable: clients match on them. */
export const DIAGNOSTIC_SEVERITY = {
  'yaml.syntax': 'error',
  'yaml.warning': 'warning',
  'schema.invalid': 'error',
  'input.invalid-schema': 'error',
  'step.duplicate-id': 'error',
  'step.unknown-kind': 'error',
  'step.ambiguous-kind': 'error',
  'step.unreachable': 'warning',
  'call.unknown-activity': 'error',
  'call.invalid-params': 'error',
  'expr.syntax': 'error',
  'expr.type': 'error',
  'expr.unknown-reference': 'error',
  'expr.not-yet-run': 'error',
  'expr.optional-form-field': 'error',
  'expr.optional-result-field': 'warning',
  'switch.no-default': 'warning',
  'task.no-outcomes': 'error',
  'task.unknown-outcome': 'error',
  'task.unknown-role': 'error',
  'text.unknown-locale': 'error',
  'text.missing-locale': 'error',
  'text.not-literal': 'error',
  'start.unknown-role': 'error',
  'duration.invalid': 'error',
  'duration.negative': 'error',
  'duration.zero': 'error',
  'escalation.after-due': 'warning',
  'parallel.invalid-n': 'error',
  'forEach.completion-sequential': 'error',
  'receive.unknown-buffer-step': 'error',
  'process.recursion': 'error',
  'process.unknown-template': 'error',
  'trigger.unknown-event': 'error',
  'trigger.input-mismatch': 'error',
  'limit.source-size': 'error',
  'limit.yaml-aliases': 'error',
  'limit.nesting-depth': 'error',
  'limit.steps': 'error',
  'limit.step-depth': 'error',
  'limit.expression-length': 'error',
  'limit.expression-nodes': 'error',
  'limit.expression-cost': 'error',
  'limit.compile-budget': 'error',
  'internal.error': 'error',
} as const satisfies Record<string, Severity>;

export type Severity = 'error' | 'warning';
export type DiagnosticCode = keyof typeof DIAGNOSTIC_SEVERITY;
export const DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_SEVERITY) as DiagnosticCode[];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** For the designer: what is wrong and, where it helps, what to write instead. */
  message: string;
  /** Where in the template, e.g. `steps[2].task.assignee`; empty for the whole document. */
  path: string;
  /** Offsets into the source, end exclusive. */
  range: [start: number, end: number];
  /** Edits that would fix it (a "did you mean" made one click), when the compiler knows one. */
  fixes?: DiagnosticFix[];
}

/** Replace `range` of the source (offsets, end exclusive) by `text`. */
export interface DiagnosticFix {
  title: string;
  range: [start: number, end: number];
  text: string;
}

/** A diagnostic with the 1-based line and column of its start and end, as the API returns it. */
export interface LocatedDiagnostic extends Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function createDiagnostic(
  code: DiagnosticCode,
  path: string,
  range: [number, number],
  message: string,
): Diagnostic {
  return { code, severity: DIAGNOSTIC_SEVERITY[code], message, path, range };
}

/**
 * A suggested name as a fix: `to` replaces `from` where the diagnostic points (inside the quotes
 * of a quoted scalar). Undefined when the source there is not `from` (a scalar with escapes, a
 * fallback range), so a fix never edits the wrong text.
 */
export function replacementFix(
  source: string,
  range: [number, number],
  from: string,
  to: string,
): DiagnosticFix | undefined {
  const [start, end] = range;
  const text = source.slice(start, end);
  const title = `Replace with '${to}'`;
  if (text === from) return { title, range: [start, end], text: to };
  const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0];
  if (quoted && text.slice(1, -1) === from) return { title, range: [start + 1, end - 1], text: to };
  return undefined;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineColumnAt(source: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

export function toLocated(diagnostic: Diagnostic, source: string): LocatedDiagnostic {
  const end = lineColumnAt(source, diagnostic.range[1]);
  return {
    ...diagnostic,
    ...lineColumnAt(source, diagnostic.range[0]),
    endLine: end.line,
    endColumn: end.column,
  };
}

/** `file:line:col code message`; warnings say so, and the path leads the message. */
export function formatDiagnostic(diagnostic: Diagnostic, source: string, file: string): string {
  const { line, column } = lineColumnAt(source, diagnostic.range[0]);
  const severity = diagnostic.severity === 'warning' ? 'warning: ' : '';
  const path = diagnostic.path ? `${diagnostic.path}: ` : '';
  return `${file}:${line}:${column} ${diagnostic.code} ${severity}${path}${diagnostic.message}`;
}

/** Source order, so a designer reads them top to bottom. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.code.localeCompare(b.code));
}
