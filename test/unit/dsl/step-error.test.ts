import { describe, expect, it } from '@jest/globals';
import { compile, template } from './templates';

/** `error` in onError and onFailure: what failed, typed; unknown anywhere else. */
describe('the error variable of onError and onFailure', () => {
  const errors = (source: string) =>
    compile(source)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => ({ code: d.code, path: d.path }));

  it('onError steps read error.code, error.message and error.stepId as strings', () => {
    const source = template(`
  - id: charge
    fail: { code: card.declined, message: declined }
    onError:
      steps:
        - id: note
          set: { failed: '=error.code + " " + error.message + " at " + error.stepId', short: =size(error.stepId) > 0 }
      then: continue
`);
    expect(errors(source)).toEqual([]);
  });

  it('onFailure steps read error too', () => {
    const source = template(
      `
  - id: done
    end: {}
`,
      `onFailure:
  - id: note
    set: { why: =error.code, where: =error.stepId }`,
    );
    expect(errors(source)).toEqual([]);
  });

  it('a field error does not have is refused, and error outside those blocks is unknown', () => {
    const misspelt = template(`
  - id: charge
    fail: { code: card.declined, message: declined }
    onError:
      steps:
        - id: note
          set: { failed: =error.reason }
      then: continue
`);
    expect(errors(misspelt)).toEqual([expect.objectContaining({ path: expect.stringContaining('onError') })]);
    const outside = template(`
  - id: note
    set: { failed: =error.code }
`);
    expect(errors(outside)).toEqual([expect.objectContaining({ code: 'expr.unknown-reference' })]);
  });
});
