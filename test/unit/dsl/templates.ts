import { expect } from '@jest/globals';
import { Type } from 'typebox';
import { type ActivityContract } from '../../../dsl/activity-contract';
import { ACTIVITY_CATALOG } from '../../../activities';
import { compileTemplate, type CompileOptions, type CompileResult } from '../../../dsl/compile';
import { toLocated, type DiagnosticCode, type LocatedDiagnostic } from '../../../dsl/diagnostics';
import type { StepPlan } from '../../../dsl/plan';

/** The real catalog plus the CRM activities the design sketch uses, with typed results. */
export const TEST_CATALOG: Record<string, ActivityContract> = {
  ...ACTIVITY_CATALOG,
  'crm.assignLead': {
    description: 'Assign a lead to a sales rep.',
    params: Type.Object({ leadId: Type.String(), strategy: Type.String() }, { additionalProperties: false }),
    result: Type.Object({
      rep: Type.Object({ id: Type.String(), email: Type.String() }),
      lead: Type.Object({ company: Type.String(), region: Type.String(), score: Type.Number() }),
    }),
  },
  'crm.convertLead': {
    description: 'Convert a lead.',
    params: Type.Object({ leadId: Type.String() }, { additionalProperties: false }),
    result: Type.Object({ opportunityId: Type.String() }),
  },
  'crm.closeLead': {
    description: 'Close a lead.',
    params: Type.Object({ leadId: Type.String() }, { additionalProperties: false }),
    result: Type.Object({}),
  },
};

/** A template around `steps` (the YAML of the list, indented by two), after an optional `header`. */
export function template(steps: string, header = ''): string {
  const head = [
    'key: sample',
    'name: Sample',
    'input:',
    '  type: object',
    '  properties: { leadId: { type: string }, amount: { type: number }, tags: { type: array, items: { type: string } } }',
  ];
  return [...head, ...(header.trim() ? [header.trim()] : []), 'steps:', steps.replace(/^\n/, '').trimEnd(), ''].join(
    '\n',
  );
}

export function compile(source: string, options: Partial<CompileOptions> = {}): CompileResult {
  return compileTemplate(source, { catalog: TEST_CATALOG, ...options });
}

/** 1-based line and column of the `occurrence`-th appearance of `needle` in `source`. */
export function positionOf(source: string, needle: string, occurrence = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = source.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' occurs fewer than ${occurrence} times`);
  }
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

export function located(source: string, options: Partial<CompileOptions> = {}): LocatedDiagnostic[] {
  return compile(source, options).diagnostics.map((d) => toLocated(d, source));
}

/** Asserts exactly one diagnostic with `code`, at `path`, starting where `needle` does. */
export function expectOne(
  source: string,
  code: DiagnosticCode,
  path: string,
  needle: string,
  options: Partial<CompileOptions> & { occurrence?: number } = {},
): LocatedDiagnostic {
  const { occurrence, ...compileOptions } = options;
  const found = located(source, compileOptions).filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  const diagnostic = found[0]!;
  expect(diagnostic.path).toBe(path);
  expect({ line: diagnostic.line, column: diagnostic.column }).toEqual(positionOf(source, needle, occurrence));
  return diagnostic;
}

/** Compiles a valid template and returns its first step's plan node. */
export function firstStep(source: string, options: Partial<CompileOptions> = {}): StepPlan {
  const result = compile(source, options);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const step = result.plan?.steps[0];
  if (!step) throw new Error('no plan');
  return step;
}
