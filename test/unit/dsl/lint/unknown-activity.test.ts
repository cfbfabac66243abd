import { describe, expect, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('unknown-activity', () => {
  it('reports an activity that is not in the catalog, at its name', () => {
    const source = template(`
  - id: notify
    call: mail.sned
    with: { to: a@example.com, subject: s, text: t }
`);
    const d = expectOne(source, 'call.unknown-activity', 'steps[0].call', 'mail.sned');
    expect(d.line).toBe(8);
    expect(d.column).toBe(11);
    expect(d.message).toContain("did you mean 'mail.send'?");
  });
});
