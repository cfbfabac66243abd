import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RUNTIME_LIMITS } from '../../../dsl/limits';
import { compile, expectOne, located, positionOf, template } from './templates';

const RANGE = `[${Array.from({ length: 60 }, (_, i) => i).join(',')}]`;
/** Four loops nested over 60 numbers: 13 million iterations from under 800 characters. */
const NESTED_LOOPS = `${RANGE}.map(a, ${RANGE}.map(b, ${RANGE}.map(c, ${RANGE}.filter(d, a + b + c + d == 7).size())))`;

function setStep(value: string): string {
  return `  - id: compute\n    set: { x: '=${value}' }`;
}

describe('template limits', () => {
  it('refuses a source over the byte limit without parsing it, where the limit is crossed', () => {
    const source = template(Array.from({ length: 40 }, (_, i) => `  - id: s${i}\n    set: { v${i}: ${i} }`).join('\n'));
    const [diagnostic, ...others] = located(source, { limits: { maxSourceBytes: 300 } });
    expect(others).toEqual([]);
    expect(diagnostic).toMatchObject({ code: 'limit.source-size', severity: 'error' });
    expect(diagnostic!.message).toContain('larger than 300 bytes');
    const crossing = new TextEncoder().encode(source).subarray(0, 300);
    expect(diagnostic!.range[0]).toBe(new TextDecoder().decode(crossing).length);
  });

  it('refuses an 800 KB template by default', () => {
    const source = template(setStep('1'), `description: "${'x'.repeat(800 * 1024)}"`);
    expect(located(source).map((d) => [d.code, d.line])).toEqual([['limit.source-size', 6]]);
  });

  it('reports a billion-laughs alias bomb as a diagnostic at the first alias, not a crash', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries()) {
      const previous = 'abcdefghi'[i]!;
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const source = `${lines.join('\n')}\nkey: bomb\nname: Bomb\nsteps:\n${setStep('1')}\n`;
    const [diagnostic, ...others] = located(source);
    expect(others).toEqual([]);
    expect(diagnostic).toMatchObject({ code: 'limit.yaml-aliases', ...positionOf(source, '*a') });
  });

  it('refuses YAML nested deeper than the limit at the first node too deep', () => {
    const source = template(setStep('1'), `vars: { deep: ${'['.repeat(70)}${']'.repeat(70)} }`);
    const [diagnostic] = located(source);
    expect(diagnostic).toMatchObject({ code: 'limit.nesting-depth' });
    // vars (1) → its mapping (2) → deep: the 63rd bracket is the 65th level.
    expect(diagnostic!.column).toBe(positionOf(source, '[').column + 62);
  });

  it('counts nested steps and stops at the first step over the limit', () => {
    const steps = Array.from(
      { length: 3 },
      (_, i) =>
        `  - id: loop${i}\n    forEach:\n      items: '=[1, 2]'\n      steps:\n        - id: inner${i}\n          set: { v${i}: 1 }`,
    ).join('\n');
    const source = template(steps);
    const diagnostic = expectOne(source, 'limit.steps', 'steps[2]', 'id: loop2', { limits: { maxSteps: 4 } });
    expect(diagnostic.message).toContain('more than 4 steps');
    expect(located(source, { limits: { maxSteps: 4 } })).toHaveLength(1);
    expect(compile(source, { limits: { maxSteps: 6 } }).plan).toBeDefined();
  });

  it('refuses steps nested deeper than the limit', () => {
    let steps = '- id: leaf\n  set: { v: 1 }';
    for (let depth = 4; depth >= 1; depth--) {
      const body = steps.replace(/^/gm, '    ');
      steps = `- id: level${depth}\n  repeat:\n    until: '=true'\n    steps:\n${body}`;
    }
    const source = template(steps.replace(/^/gm, '  '));
    expect(compile(source).plan).toBeDefined();
    expectOne(source, 'limit.step-depth', 'steps[0].repeat.steps[0].repeat.steps[0].repeat.steps', '- id: level4', {
      limits: { maxStepDepth: 3 },
    });
  });

  it('refuses an expression over the length limit, at the expression', () => {
    const long = Array.from({ length: 120 }, (_, i) => `input.amount * ${i}`).join(' + ');
    const source = template(setStep(long));
    const diagnostic = expectOne(source, 'limit.expression-length', 'steps[0].set.x', 'input.amount * 0');
    expect(diagnostic.message).toContain('more than 1000');
    expect(located(source).map((d) => d.code)).toEqual(['limit.expression-length']);
  });

  it('refuses an expression with more syntax nodes than the limit', () => {
    const source = template(setStep(Array(300).fill('1').join('+')));
    expectOne(source, 'limit.expression-nodes', 'steps[0].set.x', '1+1');
  });

  it('refuses an expression whose estimated cost is over the budget (nested loops)', () => {
    const source = template(setStep(NESTED_LOOPS));
    const diagnostic = expectOne(source, 'limit.expression-cost', 'steps[0].set.x', RANGE);
    expect(diagnostic.message).toMatch(/could cost about \d+ units, more than 1000000/);
  });

  it('lets the built-in kinds of expressions through and writes the run-time budgets into the plan', () => {
    const source = template(setStep('input.tags.filter(t, t.startsWith("a")).map(t, t + "!").join(", ")'));
    const result = compile(source, { runtimeLimits: { valueBytes: 1000 } });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan!.limits).toEqual({ ...DEFAULT_RUNTIME_LIMITS, valueBytes: 1000 });
  });
});
