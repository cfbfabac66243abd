import { describe, expect, it } from '@jest/globals';
import { changedSteps } from '../../../../web/src/staff/diagram/plan-diff';
import { builtinPlan, builtinSource, planOf } from './builtin-plans';

describe('changedSteps', () => {
  const source = builtinSource('quote-approval');

  it('finds nothing between a plan and itself', () => {
    expect(changedSteps(builtinPlan('quote-approval'), builtinPlan('quote-approval'))).toEqual({ from: {}, to: {} });
  });

  it('matches steps by id when an inserted step shifts the paths after it', () => {
    const inserted = source.replace(
      '  - id: outcome\n',
      '  - id: audit\n    call: audit.record\n    with: { actor: system, action: quote.decided, subject: =input.quoteId }\n\n  - id: outcome\n',
    );
    const diff = changedSteps(planOf(source), planOf(inserted));
    // `outcome` moved from steps[1] to steps[2] and is not marked: only the new step is.
    expect(diff).toEqual({ from: {}, to: { 'steps[1]': 'added' } });
  });

  it('marks a step whose own settings changed in both versions, a removed step in the older one', () => {
    const edited = source
      .replace('due: P2D', 'due: P3D')
      .replace(
        /\n {8}- id: nextVersion\n {10}if: =vars.decision == "sent-back"\n {10}set: \{ version: =steps.newVersion.version \}\n/,
        '\n',
      );
    expect(edited).not.toBe(source);
    const diff = changedSteps(
      planOf(source),
      planOf(edited.replace('set: { version: =steps.newVersion.version }', '')),
    );
    expect(diff.from).toEqual({
      'steps[0].repeat.steps[5]': 'changed',
      'steps[0].repeat.steps[7]': 'removed',
      'steps[0]': 'changed',
    });
    expect(diff.to).toEqual({ 'steps[0].repeat.steps[5]': 'changed', 'steps[0]': 'changed' });
  });

  it('does not mark a container when only a step inside it changed', () => {
    const edited = source.replace('remind: { every: PT8H, times: 2 }', 'remind: { every: PT4H, times: 3 }');
    const diff = changedSteps(planOf(source), planOf(edited));
    expect(diff.to).toEqual({ 'steps[0].repeat.steps[3].forEach.steps[0].forEach.steps[0]': 'changed' });
    expect(diff.from).toEqual(diff.to);
  });
});
