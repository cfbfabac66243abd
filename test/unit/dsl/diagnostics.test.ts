import { describe, expect, it } from '@jest/globals';
import {
  createDiagnostic,
  DIAGNOSTIC_CODES,
  formatDiagnostic,
  lineColumnAt,
  toLocated,
} from '../../../dsl/diagnostics';

describe('diagnostics', () => {
  const source = 'a: 1\nsteps:\n  - id: x\n';

  it('works out 1-based line and column only when asked', () => {
    expect(lineColumnAt(source, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(source, source.indexOf('id'))).toEqual({ line: 3, column: 5 });
    expect(lineColumnAt(source, source.length)).toEqual({ line: 4, column: 1 });
  });

  it('formats file:line:col code message, marking warnings and leading with the path', () => {
    const error = createDiagnostic(
      'step.unknown-kind',
      'steps[0].id',
      [source.indexOf('id'), source.indexOf('id') + 2],
      'no kind',
    );
    expect(formatDiagnostic(error, source, 't.yaml')).toBe('t.yaml:3:5 step.unknown-kind steps[0].id: no kind');
    const warning = createDiagnostic('switch.no-default', '', [0, 1], 'careful');
    expect(formatDiagnostic(warning, source, 't.yaml')).toBe('t.yaml:1:1 switch.no-default warning: careful');
    expect(toLocated(error, source)).toEqual({ ...error, line: 3, column: 5, endLine: 3, endColumn: 7 });
  });

  it('has a severity for every code', () => {
    expect(DIAGNOSTIC_CODES).toContain('expr.not-yet-run');
    for (const code of DIAGNOSTIC_CODES)
      expect(['error', 'warning']).toContain(createDiagnostic(code, '', [0, 0], '').severity);
  });
});
