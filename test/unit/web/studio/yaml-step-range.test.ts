import { describe, expect, it } from '@jest/globals';
import { walkSteps } from '../../../../web/src/staff/diagram/plan-walk';
import { pathSegments, stepPathAt, yamlRangeOf } from '../../../../web/src/staff/studio/yaml-step-range';
import { BUILTIN_KEYS, builtinPlan, builtinSource } from '../diagram/builtin-plans';

describe('yamlRangeOf: a plan step path to its YAML', () => {
  it('splits a path into keys and indexes', () => {
    expect(pathSegments('steps[1].switch[0].do[2]')).toEqual(['steps', 1, 'switch', 0, 'do', 2]);
    expect(pathSegments('vars["odd key"].x')).toEqual(['vars', 'odd key', 'x']);
  });

  it.each(BUILTIN_KEYS)('finds the text of every step of %s, starting at its id', (key) => {
    const source = builtinSource(key);
    const plan = builtinPlan(key);
    let steps = 0;
    walkSteps(plan, (step) => {
      steps += 1;
      const range = yamlRangeOf(source, step.path);
      expect({ path: step.path, found: range !== null }).toEqual({ path: step.path, found: true });
      const text = source.slice(range![0], range![1]);
      expect(text).toMatch(new RegExp(`^id:\\s*${step.id}\\b`));
    });
    expect(steps).toBeGreaterThan(3);
  });

  it('finds the innermost step at a place in the text', () => {
    const source = builtinSource('quote-approval');
    const paths: string[] = [];
    walkSteps(builtinPlan('quote-approval'), (step) => paths.push(step.path));
    const at = (text: string) => stepPathAt(source, source.indexOf(text), paths);
    expect(at('call: crm.approvalLevels')).toBe('steps[0].repeat.steps[2]');
    expect(at('discountPercentAbove: 20')).toBe('steps[0].repeat.steps[2]');
    expect(at('template: quote-decided')).toBe('steps[1].switch[0].do[1]');
    expect(at('description: >')).toBeNull();
  });

  it('answers null for a step the text no longer has', () => {
    expect(yamlRangeOf('steps: []\n', 'steps[3]')).toBeNull();
    expect(yamlRangeOf('steps: [\n', 'steps[0]')).toBeNull();
  });
});
