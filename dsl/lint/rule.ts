import type { ExpressionChecker, TemplateNames } from '../cel/check';
import type { DiagnosticCode } from '../diagnostics';
import type { TemplateModel } from '../model';
import type { ParsedTemplate } from '../parse';
import type { Path } from '../path';

/** What a lint rule sees: the walked template, where things are, and how to report. */
export interface LintContext {
  model: TemplateModel;
  parsed: ParsedTemplate;
  checker: ExpressionChecker;
  /** Every step id and variable in the template, wherever it is. */
  names: TemplateNames;
  /** Template keys a template's `process` steps call; undefined for a template that does not exist. */
  resolveTemplateCalls?: (key: string) => readonly string[] | undefined;
  /** Known role names, when the caller has them. */
  roles?: readonly string[];
  /**
   * Reports at the node at `path`, at its key (`atKey`), or at an explicit `range` of the source;
   * `fix` offers replacing the text `from` (at the diagnostic's range, or `fix.range`) by `to`.
   */
  report(
    code: DiagnosticCode,
    path: Path,
    message: string,
    where?: { range?: [number, number]; atKey?: boolean; fix?: SuggestedName },
  ): void;
}

/** A "did you mean": the misspelt text and the name meant. */
export interface SuggestedName {
  from: string;
  to: string;
  range?: [number, number];
}

/** One check over the whole template. Rules never throw on user input; they report. */
export interface LintRule {
  name: string;
  codes: readonly DiagnosticCode[];
  check(context: LintContext): void;
}
