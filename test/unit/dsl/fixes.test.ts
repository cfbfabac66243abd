import { describe, expect, it } from '@jest/globals';
import type { LocatedDiagnostic } from '../../../dsl/diagnostics';
import { located, template } from './templates';

/** The source with the diagnostic's only fix applied. */
function applyFix(source: string, diagnostic: LocatedDiagnostic | undefined): string {
  expect(diagnostic?.fixes).toHaveLength(1);
  const fix = diagnostic!.fixes![0]!;
  return source.slice(0, fix.range[0]) + fix.text + source.slice(fix.range[1]);
}

function only(source: string, code: string, options: Parameters<typeof located>[1] = {}): LocatedDiagnostic {
  const found = located(source, options).filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('"did you mean" fixes', () => {
  it('replaces a misspelt activity name, and the result compiles without that problem', () => {
    const source = template(`  - id: send\n    call: mail.sned\n    with: { to: a@example.com, subject: s, text: t }`);
    const fixed = applyFix(source, only(source, 'call.unknown-activity'));
    expect(fixed).toContain('call: mail.send\n');
    expect(located(fixed).filter((d) => d.code === 'call.unknown-activity')).toEqual([]);
  });

  it('keeps the quotes of a quoted role and replaces only the name', () => {
    const source = template(
      `  - id: review\n    task:\n      title: Review\n      candidates: { role: "sales-mgr" }\n      outcomes: [ok]`,
    );
    const diagnostic = only(source, 'task.unknown-role', { roles: ['sales-manager', 'designer'] });
    expect(diagnostic.fixes![0]!.title).toBe("Replace with 'sales-manager'");
    expect(applyFix(source, diagnostic)).toContain('role: "sales-manager"');
  });

  it('fixes a misspelt step reference inside an expression at its exact offsets', () => {
    const source = template(
      `  - id: assign\n    call: crm.assignLead\n    with: { leadId: =input.leadId, strategy: round-robin }\n  - id: mail\n    call: mail.send\n    with: { to: =steps.asign.rep.email, subject: s, text: t }`,
    );
    const fixed = applyFix(source, only(source, 'expr.unknown-reference'));
    expect(fixed).toContain('to: =steps.assign.rep.email,');
  });

  it('fixes a misspelt result field and an unknown key of a step', () => {
    const field = template(
      `  - id: assign\n    call: crm.assignLead\n    with: { leadId: =input.leadId, strategy: round-robin }\n  - id: mail\n    call: mail.send\n    with: { to: =steps.assign.rep.emial, subject: s, text: t }`,
    );
    expect(applyFix(field, only(field, 'expr.type'))).toContain('=steps.assign.rep.email,');
    const key = template(
      `  - id: send\n    call: mail.send\n    with: { to: a@example.com, subject: s, text: t }\n    retyr: { maximumAttempts: 3 }`,
    );
    const schema = located(key).find((d) => d.code === 'schema.invalid' && d.fixes);
    expect(applyFix(key, schema)).toContain('retry: { maximumAttempts: 3 }');
  });

  it('offers nothing when no name is close', () => {
    const source = template(`  - id: send\n    call: zzzzzzzz\n    with: {}`);
    expect(only(source, 'call.unknown-activity').fixes).toBeUndefined();
  });

  it('gives the end of the range as line and column', () => {
    const source = template(`  - id: send\n    call: mail.sned\n    with: { to: a@example.com, subject: s, text: t }`);
    const d = only(source, 'call.unknown-activity');
    expect({ line: d.endLine, column: d.endColumn }).toEqual({ line: d.line, column: d.column + 'mail.sned'.length });
  });
});
