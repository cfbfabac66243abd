import { describe, expect, it } from '@jest/globals';
import { expectOne, located, template } from '../templates';

const callsChild = (child: string) =>
  template(`
  - id: child
    process: { template: ${child}, input: { leadId: =input.leadId } }
`);

describe('process-recursion', () => {
  it('reports a template that starts itself', () => {
    expectOne(callsChild('sample'), 'process.recursion', 'steps[0].process.template', 'sample', { occurrence: 2 });
  });

  it('reports a cycle through other templates (sample → b → c → sample)', () => {
    const calls: Record<string, string[]> = { b: ['c'], c: ['sample'], sample: ['b'] };
    const d = expectOne(callsChild('b'), 'process.recursion', 'steps[0].process.template', 'b,', {
      resolveTemplateCalls: (key) => calls[key],
    });
    expect(d.message).toBe('templates call each other in a cycle: sample → b → c → sample');
  });

  it('reports an unknown child template when templates can be resolved, and nothing without a resolver', () => {
    expectOne(callsChild('nowhere'), 'process.unknown-template', 'steps[0].process.template', 'nowhere', {
      resolveTemplateCalls: () => undefined,
    });
    expect(located(callsChild('nowhere'))).toEqual([]);
  });
});
