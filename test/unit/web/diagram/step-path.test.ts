import { describe, expect, it } from '@jest/globals';
import { stepPathById, stepPathOf } from '../../../../web/src/staff/diagram/step-path';
import { builtinPlan } from './builtin-plans';

describe('step paths', () => {
  const plan = builtinPlan('quote-approval');
  const approval = 'steps[0].repeat.steps[3].forEach.steps[0].forEach.steps[0]';

  it('finds the innermost step a diagnostic lies in', () => {
    expect(stepPathOf(`${approval}.task.candidates.role`, plan)).toBe(approval);
    expect(stepPathOf('steps[0].repeat.steps[3].forEach.items', plan)).toBe('steps[0].repeat.steps[3]');
    expect(stepPathOf('steps[1].switch[0].when', plan)).toBe('steps[1]');
    expect(stepPathOf('steps[1].switch[1].otherwise[1].with.to', plan)).toBe('steps[1].switch[1].otherwise[1]');
    expect(stepPathOf('steps[1]', plan)).toBe('steps[1]');
  });

  it('does not take a step for another whose index starts the same', () => {
    const ticket = builtinPlan('ticket-escalation');
    expect(stepPathOf('steps[10].repeat.until', ticket)).toBe('steps[10]');
    expect(stepPathOf('steps[1].call', ticket)).toBe('steps[1]');
  });

  it('is null outside every step', () => {
    expect(stepPathOf('vars.decision', plan)).toBeNull();
    expect(stepPathOf('steps', plan)).toBeNull();
    expect(stepPathOf('', plan)).toBeNull();
  });

  it('finds a step by id', () => {
    expect(stepPathById(plan, 'sequentialApproval')).toBe(approval);
    expect(stepPathById(plan, 'tellOwnerRejected')).toBe('steps[1].switch[1].otherwise[1]');
    expect(stepPathById(plan, 'nope')).toBeNull();
  });
});
