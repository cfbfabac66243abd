import { describe, expect, it } from '@jest/globals';
import { expectOne, located, template } from '../templates';

describe('activity-params', () => {
  it('reports missing, unknown and malformed literal parameters against the catalog schema', () => {
    const source = template(`
  - id: notify
    call: mail.send
    with: { to: not-an-email, subject: Hello, txt: hi }
`);
    const found = located(source).filter((d) => d.code === 'call.invalid-params');
    expect(found.map((d) => [d.path, d.line, d.column])).toEqual([
      ['steps[0].with', 9, 11],
      ['steps[0].with.to', 9, 17],
      ['steps[0].with.txt', 9, 47],
    ]);
    expect(found.map((d) => d.message)).toEqual([
      "mail.send: missing required parameter 'text'",
      'mail.send: must be a valid email',
      "mail.send: unknown parameter 'txt'; did you mean 'text'? (allowed: to, subject, text, html and idempotencyKey)",
    ]);
  });

  it('checks what an expression gives against the parameter type, and skips its value otherwise', () => {
    const source = template(`
  - id: notify
    call: mail.send
    with: { to: =input.leadId, subject: =input.amount, text: t }
`);
    const d = expectOne(source, 'call.invalid-params', 'steps[0].with.subject', 'input.amount');
    expect(d.message).toBe('must give a string, but this expression gives a number');
  });
});
