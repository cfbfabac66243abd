import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('task step', () => {
  it('compiles title, candidates with attribute filters, outcomes, form shorthand, due, priority, reminders and escalations', () => {
    const step = firstStep(template(`
  - id: followUp
    task:
      title: ="Follow up " + input.leadId
      description: Call within a day
      candidates: { role: sales-rep, region: =input.leadId }
      outcomes: [contacted, qualified, disqualified]
      form: { notes: { type: string, maxLength: 2000, required: true }, score: { type: integer, minimum: 0 } }
      due: P1D
      priority: high
      remind: { every: PT4H, times: 3 }
      escalate:
        - { after: PT20H, reassign: { role: sales-manager, region: emea }, raisePriority: urgent }
        - { after: P1D, notify: [boss@example.com], reassign: { user: u42 } }
`));
    expect(step).toEqual({
      id: 'followUp',
      kind: 'task',
      path: 'steps[0]',
      title: { $expr: '"Follow up " + input.leadId' },
      description: 'Call within a day',
      candidates: { role: 'sales-rep', where: { region: { $expr: 'input.leadId' } } },
      outcomes: ['contacted', 'qualified', 'disqualified'],
      form: {
        type: 'object',
        properties: { notes: { type: 'string', maxLength: 2000 }, score: { type: 'integer', minimum: 0 } },
        required: ['notes'],
      },
      dueMs: 86_400_000,
      priority: 'high',
      remind: { everyMs: 14_400_000, times: 3 },
      escalate: [
        { afterMs: 72_000_000, reassign: { candidates: { role: 'sales-manager', where: { region: 'emea' } } }, raisePriority: 'urgent' },
        { afterMs: 86_400_000, notify: ['boss@example.com'], reassign: { user: 'u42' } },
      ],
    });
  });

  it('takes a full form schema as it is, and a priority expression', () => {
    const step = firstStep(template(`
  - id: approve
    task:
      title: Approve
      assignee: =input.leadId
      outcomes: [approved, rejected]
      priority: '=input.amount > 1000.0 ? "high" : "normal"'
      form:
        type: object
        required: [reason]
        properties: { reason: { type: string } }
        additionalProperties: false
`));
    expect(step).toMatchObject({
      assignee: { $expr: 'input.leadId' },
      priority: { $expr: 'input.amount > 1000.0 ? "high" : "normal"' },
      form: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } }, additionalProperties: false },
    });
  });

  it('types the completion: form fields are known to later expressions', () => {
    const source = template(`
  - id: approve
    task: { title: Approve, assignee: u1, outcomes: [ok], form: { reason: { type: string } } }
  - id: log
    call: audit.record
    with: { actor: =steps.approve.completedBy, action: approved, subject: =steps.approve.form.reasn }
`);
    expect(() => firstStep(source)).toThrow();
  });
});
