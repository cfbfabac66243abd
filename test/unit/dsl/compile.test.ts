import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ACTIVITY_CATALOG } from '../../../activities';
import { compileTemplate } from '../../../dsl/compile';
import { STEP_KINDS, type StepPlan } from '../../../dsl/plan';
import { compile, located, template } from './templates';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/templates/${name}`, import.meta.url), 'utf8');

function kindsIn(steps: readonly StepPlan[] | undefined, into = new Set<string>()): Set<string> {
  for (const step of steps ?? []) {
    into.add(step.kind);
    const nested = JSON.parse(JSON.stringify(step)) as Record<string, unknown>;
    for (const value of Object.values(nested)) collect(value, into);
  }
  return into;
}

function collect(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((item) => collect(item, into));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.kind === 'string' && typeof record.path === 'string') into.add(record.kind);
    Object.values(record).forEach((item) => collect(item, into));
  }
}

describe('compileTemplate', () => {
  it('compiles a template using every step kind, with the real catalog, into a plan', () => {
    const source = fixture('every-step-kind.yaml');
    const result = compileTemplate(source, { catalog: ACTIVITY_CATALOG, version: 3 });
    expect(result.diagnostics).toEqual([]);
    const plan = result.plan!;
    expect(plan).toMatchObject({
      planVersion: 1,
      key: 'every-step-kind',
      name: 'Every step kind',
      version: 3,
      hash: createHash('sha256').update(source).digest('hex'),
      businessKey: { $expr: 'input.customerEmail' },
      triggers: [],
      vars: { approved: false, revisions: 0 },
    });
    expect(plan.inputSchema).toMatchObject({ type: 'object', required: ['customerEmail', 'amount', 'lines'] });
    expect([...kindsIn(plan.steps)].sort()).toEqual([...STEP_KINDS].sort());
    expect(plan.onFailure).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('compiles the design sketch as written (with mail parameters the catalog has)', () => {
    const source = `key: lead-assignment
name: Lead assignment
input:
  type: object
  required: [leadId]
  properties: { leadId: { type: string } }
businessKey: =input.leadId
triggers: [{ event: lead.created }]
steps:
  - id: assign
    call: crm.assignLead
    with: { leadId: =input.leadId, strategy: region-product-least-loaded }
  - id: notifyRep
    call: mail.send
    with: { to: =steps.assign.rep.email, subject: New lead, text: =steps.assign.lead.company }
  - id: followUp
    task:
      title: ="Follow up " + steps.assign.lead.company
      assignee: =steps.assign.rep.id
      outcomes: [contacted, qualified, disqualified]
      form: { notes: { type: string, maxLength: 2000 } }
      due: P1D
      remind: { every: PT4H, times: 3 }
      escalate: [{ after: P2D, reassign: { role: sales-manager, region: =steps.assign.lead.region } }]
  - id: route
    switch:
      - when: =steps.followUp.outcome == "qualified"
        do: [{ id: convert, call: crm.convertLead, with: { leadId: =input.leadId } }]
      - otherwise: [{ id: close, call: crm.closeLead, with: { leadId: =input.leadId } }]
`;
    const result = compile(source);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['escalation.after-due']);
    expect(result.plan?.steps.map((s) => s.kind)).toEqual(['call', 'call', 'task', 'switch']);
  });

  it('reports every problem of a broken template at once, in source order, and gives no plan', () => {
    const source = template(`
  - id: assign
    call: crm.assignLead
    with: { leadId: =input.leadId }
    timout: PT1M
  - id: review
    task: { title: Review, assignee: =steps.assign.rep.emial, due: PT-4H }
  - id: assign
    call: crm.asignLead
  - id: route
    switch:
      - when: =input.leadId > 5
        do: [{ id: stop, end: {} }, { id: after, wait: P1M }]
  - id: mystery
    sleep: PT1H
`);
    const result = compile(source);
    expect(result.plan).toBeUndefined();
    const found = result.diagnostics.map((d) => [d.code, d.path]);
    expect(found).toEqual([
      ['call.invalid-params', 'steps[0].with'],
      ['schema.invalid', 'steps[0].timout'],
      ['task.no-outcomes', 'steps[1].task'],
      ['expr.type', 'steps[1].task.assignee'],
      ['duration.invalid', 'steps[1].task.due'],
      ['step.duplicate-id', 'steps[2].id'],
      ['call.unknown-activity', 'steps[2].call'],
      ['switch.no-default', 'steps[3].switch'],
      ['expr.type', 'steps[3].switch[0].when'],
      ['step.unreachable', 'steps[3].switch[0].do[1]'],
      ['duration.invalid', 'steps[3].switch[0].do[1].wait'],
      ['step.unknown-kind', 'steps[4].sleep'],
    ]);
    const lines = result.diagnostics.map((d) => d.range[0]);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('reports all YAML syntax errors and stops there', () => {
    const source = 'key: a\nkey: b\nsteps: [1, 2\nname: : x\n';
    const found = located(source);
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.every((d) => d.code === 'yaml.syntax')).toBe(true);
    expect(found[0]).toMatchObject({ line: 2, column: 1 });
  });

  it('never throws on input that is not a template', () => {
    for (const source of [
      '',
      '42',
      '- a\n- b',
      'steps: 5',
      'key: x\nsteps: [[], null, 3, { id: 1 }]',
      'input: 3\nsteps: [{ id: a, call: {} }]',
    ]) {
      const result = compile(source);
      expect(result.plan).toBeUndefined();
      expect(result.diagnostics.length).toBeGreaterThan(0);
      expect(result.diagnostics.map((d) => d.code)).not.toContain('internal.error');
    }
  });

  it('gives a plan when there are only warnings, and takes a hash function', () => {
    const source = template(`
  - { id: stop, end: {} }
  - { id: never, wait: PT1H }
`);
    const result = compile(source, { hash: () => 'fixed' });
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(result.plan).toMatchObject({ hash: 'fixed', version: 0 });
  });
});
