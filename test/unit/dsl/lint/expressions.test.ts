import { describe, expect, it } from '@jest/globals';
import { expectOne, located, positionOf, template } from '../templates';

const assign = `
  - id: assign
    call: crm.assignLead
    with: { leadId: =input.leadId, strategy: least-loaded }`;

describe('expressions', () => {
  it('=steps.assign.rep.emial: a misspelt field of a declared activity result, at the field', () => {
    const source = template(`${assign}
  - id: notify
    call: mail.send
    with: { to: =steps.assign.rep.emial, subject: New lead, text: Hello }
`);
    const d = expectOne(source, 'expr.type', 'steps[1].with.to', 'emial');
    expect(d.message).toBe("'emial' is not a field of steps.assign.rep; did you mean 'email'? (fields: id and email)");
  });

  it('=input.leadId > 5: comparing a string with a number', () => {
    const source = template(`
  - id: route
    if: =input.leadId > 5
    end: {}
`);
    const d = expectOne(source, 'expr.type', 'steps[0].if', 'input.leadId > 5');
    expect(d.message).toContain('cannot compare string with int');
  });

  it('reports a syntax error at its column inside the string', () => {
    const source = template(`
  - id: route
    if: =input.amount > > 3
    end: {}
`);
    const d = expectOne(source, 'expr.syntax', 'steps[0].if', '> 3');
    expect(d.message).toMatch(/^syntax error: /);
  });

  it('tells a step that has not run yet from one that does not exist', () => {
    const source = template(`
  - id: notify
    call: mail.send
    with: { to: =steps.assign.rep.email, subject: =steps.asign.lead.company, text: t }
${assign.slice(1)}
`);
    const all = located(source);
    const notYet = all.find((d) => d.code === 'expr.not-yet-run');
    expect(notYet).toMatchObject({ path: 'steps[0].with.to', line: 9, column: 18 });
    const unknown = all.find((d) => d.code === 'expr.unknown-reference');
    expect(unknown).toMatchObject({ path: 'steps[0].with.subject', ...positionOf(source, 'steps.asign') });
    expect(unknown?.message).toBe("there is no step 'asign'; did you mean 'assign'?");
  });

  it('does not let steps in one switch case be read after the switch', () => {
    const source = template(`
  - id: route
    switch:
      - when: =input.amount > 1000.0
        do: [{ id: big, call: crm.convertLead, with: { leadId: =input.leadId } }]
      - otherwise: []
  - id: after
    end: { result: =steps.big.opportunityId }
`);
    expectOne(source, 'expr.not-yet-run', 'steps[1].end.result', 'steps.big');
  });

  it('reports unknown names and variables that are set only later', () => {
    const source = template(
      `
  - id: first
    set: { total: =vars.count + amount }
  - id: second
    set: { count: 1 }
`,
      'vars: { seen: 0 }',
    );
    const d = expectOne(source, 'expr.not-yet-run', 'steps[0].set.total', 'vars.count');
    expect(d.message).toContain("set step 'second'");
    const unknownName = template(`
  - id: first
    set: { total: =amount + 1 }
`);
    const u = expectOne(unknownName, 'expr.unknown-reference', 'steps[0].set.total', 'amount + 1');
    expect(u.message).toContain('expressions can use input, vars, steps, instance and now');
  });

  it('checks outcomes compared with a task result against the task outcomes', () => {
    const source = template(`
  - id: review
    task: { title: Review, assignee: u1, outcomes: [approved, rejected] }
  - id: route
    if: =steps.review.outcome == "aproved"
    end: {}
`);
    const d = expectOne(source, 'task.unknown-outcome', 'steps[1].if', '"aproved"');
    expect(d.message).toContain("did you mean 'approved'?");
  });

  it('types forEach items from the list schema and binds index', () => {
    const source = template(`
  - id: each
    forEach:
      items: =input.tags
      as: tag
      steps:
        - { id: log, call: audit.record, with: { actor: a, action: b, subject: =tag + string(index), detail: { n: =tag * 2 } } }
`);
    expectOne(source, 'expr.type', 'steps[0].forEach.steps[0].with.detail.n', 'tag * 2');
  });
});
