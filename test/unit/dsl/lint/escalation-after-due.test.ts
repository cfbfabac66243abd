import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, template } from '../templates';

describe('escalation-after-due', () => {
  it('warns about an escalation that fires after the task is due', () => {
    const source = template(`
  - id: review
    task:
      title: Review
      assignee: u1
      outcomes: [ok]
      due: P1D
      escalate:
        - { after: PT12H, notify: [boss@example.com] }
        - { after: P2D, raisePriority: urgent }
`);
    const d = expectOne(source, 'escalation.after-due', 'steps[0].task.escalate[1].after', 'P2D');
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('due: P1D');
  });
  it.each([
    ['an expression due', '=input.leadId', 'P2D'],
    ['an expression after', 'P1D', '=input.leadId'],
    ['both expressions', '=input.leadId', '=input.leadId'],
  ])('does not compare %s (known only when the task opens)', (_name, due, after) => {
    const { diagnostics } = compile(
      template(`
  - id: review
    task: { title: t, assignee: u1, outcomes: [ok], due: '${due}', escalate: [{ after: '${after}', raisePriority: urgent }] }
`),
    );
    expect(diagnostics).toEqual([]);
  });
});
