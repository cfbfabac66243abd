import { describe, expect, it } from '@jest/globals';
import { compile, firstStep, template } from '../templates';

describe('task step', () => {
  it('compiles title, candidates with attribute filters, outcomes, form shorthand, due, priority, reminders and escalations', () => {
    const step = firstStep(
      template(`
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
`),
    );
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
        {
          afterMs: 72_000_000,
          reassign: { candidates: { role: 'sales-manager', where: { region: 'emea' } } },
          raisePriority: 'urgent',
        },
        { afterMs: 86_400_000, notify: ['boss@example.com'], reassign: { user: 'u42' } },
      ],
    });
  });

  it('takes a full form schema as it is, and a priority expression', () => {
    const step = firstStep(
      template(`
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
`),
    );
    expect(step).toMatchObject({
      assignee: { $expr: 'input.leadId' },
      priority: { $expr: 'input.amount > 1000.0 ? "high" : "normal"' },
      form: {
        type: 'object',
        required: ['reason'],
        properties: { reason: { type: 'string' } },
        additionalProperties: false,
      },
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
  describe('excludeUsers (four-eyes)', () => {
    it('takes an expression, a literal id or a list of expressions and ids', () => {
      const step = (excludeUsers: string) =>
        firstStep(
          template(`
  - id: approve
    task: { title: Approve, candidates: { role: sales-manager }, outcomes: [ok], excludeUsers: ${excludeUsers} }
`),
        );
      expect(step('=input.leadId')).toMatchObject({ excludeUsers: { $expr: 'input.leadId' } });
      expect(step('u-owner')).toMatchObject({ excludeUsers: 'u-owner' });
      expect(step('[=input.leadId, u-owner]')).toMatchObject({
        excludeUsers: [{ $expr: 'input.leadId' }, 'u-owner'],
      });
      expect(step('=input.tags')).toMatchObject({ excludeUsers: { $expr: 'input.tags' } });
    });

    it('refuses a value that is not an id or a list of ids, and a list member that is not a string', () => {
      const diagnostics = (excludeUsers: string) =>
        compile(
          template(`
  - id: approve
    task: { title: Approve, candidates: { role: sales-manager }, outcomes: [ok], excludeUsers: ${excludeUsers} }
`),
        ).diagnostics.map((d) => d.code);
      expect(diagnostics('{ id: u1 }')).toContain('schema.invalid');
      expect(diagnostics('[=input.amount]')).toContain('expr.type');
      expect(diagnostics('=input.nope')).not.toEqual([]);
    });
  });

  describe('timing from data', () => {
    const SLA_HEADER = `
  - id: sla
    call: crm.ticketSla
    with: { priority: high, openedAt: '2025-03-01T09:00:00Z' }`;

    it('stores expressions for due, remind.every and escalate[].after, and literals as milliseconds beside them', () => {
      const source = template(`${SLA_HEADER}
  - id: answer
    task:
      title: Answer the ticket
      assignee: u1
      outcomes: [answered]
      due: =steps.sla.responseWithin
      remind: { every: =steps.sla.remindResponseAfter, times: 2 }
      escalate:
        - { after: =steps.sla.responseWithin, raisePriority: urgent }
        - { after: P2D, notify: [boss@example.com] }
`);
      const result = compile(source);
      expect(result.diagnostics).toEqual([]);
      expect(result.plan?.steps[1]).toMatchObject({
        dueExpr: { $expr: 'steps.sla.responseWithin' },
        remind: { everyExpr: { $expr: 'steps.sla.remindResponseAfter' }, times: 2 },
        escalate: [
          { afterExpr: { $expr: 'steps.sla.responseWithin' }, raisePriority: 'urgent' },
          { afterMs: 172_800_000, notify: ['boss@example.com'] },
        ],
      });
      const step = result.plan?.steps[1] as unknown as Record<string, unknown>;
      expect(step.dueMs).toBeUndefined();
      expect((step.remind as Record<string, unknown>).everyMs).toBeUndefined();
      expect((step.escalate as Record<string, unknown>[])[0]).not.toHaveProperty('afterMs');
    });

    it('keeps the plan of literal timings exactly as before (no expression fields)', () => {
      const step = firstStep(
        template(`
  - id: review
    task: { title: t, assignee: u, outcomes: [ok], due: P1D, remind: { every: PT4H }, escalate: [{ after: PT20H, raisePriority: high }] }
`),
      );
      expect(step).toMatchObject({
        dueMs: 86_400_000,
        remind: { everyMs: 14_400_000, times: 1 },
        escalate: [{ afterMs: 72_000_000, raisePriority: 'high' }],
      });
      expect(Object.keys(step)).not.toContain('dueExpr');
      expect(Object.keys((step as { remind: object }).remind)).toEqual(['everyMs', 'times']);
      expect(Object.keys((step as { escalate: object[] }).escalate[0] ?? {})).toEqual(['afterMs', 'raisePriority']);
    });

    it('type-checks the expression as a string', () => {
      const diagnostics = compile(
        template(`${SLA_HEADER}
  - id: answer
    task: { title: t, assignee: u1, outcomes: [ok], due: =steps.sla.remindBeforeMs }
`),
      ).diagnostics;
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'expr.type', path: 'steps[1].task.due' })]);
    });

    it('reports a misspelt field in a timing expression', () => {
      const diagnostics = compile(
        template(`${SLA_HEADER}
  - id: answer
    task: { title: t, assignee: u1, outcomes: [ok], escalate: [{ after: =steps.sla.responseWithn, notify: [u2] }] }
`),
      ).diagnostics;
      expect(diagnostics).toEqual([
        expect.objectContaining({
          path: 'steps[1].task.escalate[0].after',
          message: expect.stringContaining('responseWithin'),
        }),
      ]);
    });

    it('still refuses expressions where the value is needed at publish time (wait, timeouts)', () => {
      const diagnostics = compile(
        template(`
  - { id: pause, wait: =input.leadId }
`),
      ).diagnostics;
      expect(diagnostics.map((d) => d.code)).toContain('duration.invalid');
    });
  });
});

describe('task step texts per locale', () => {
  it('compiles title and description maps into texts, en as the plain title and description', () => {
    const step = firstStep(
      template(`
  - id: approve
    task:
      title: { en: ="Approve " + input.leadId, zh-CN: ="审批 " + input.leadId }
      description: Check the terms
      assignee: u1
      outcomes: [approved, rejected]
      outcomeLabels: { approved: { en: Approve, zh-CN: 批准 }, rejected: Reject }
      form: { notes: { type: string, title: { en: Notes, zh-CN: 备注 } } }
`),
    );
    expect(step).toMatchObject({
      title: { $expr: '"Approve " + input.leadId' },
      description: 'Check the terms',
      texts: {
        en: { title: { $expr: '"Approve " + input.leadId' }, description: 'Check the terms' },
        'zh-CN': { title: { $expr: '"审批 " + input.leadId' }, description: 'Check the terms' },
      },
      outcomeLabels: {
        approved: { en: 'Approve', 'zh-CN': '批准' },
        rejected: { en: 'Reject', 'zh-CN': 'Reject' },
      },
      form: { properties: { notes: { type: 'string', title: { en: 'Notes', 'zh-CN': '备注' } } } },
    });
  });

  it('leaves a plan without texts per locale exactly as before', () => {
    const step = firstStep(
      template(`
  - id: approve
    task: { title: Approve, description: =input.leadId, assignee: u1, outcomes: [ok] }
`),
    );
    expect(step).toEqual({
      id: 'approve',
      kind: 'task',
      path: 'steps[0]',
      title: 'Approve',
      description: { $expr: 'input.leadId' },
      assignee: 'u1',
      outcomes: ['ok'],
      priority: 'normal',
    });
  });
});
