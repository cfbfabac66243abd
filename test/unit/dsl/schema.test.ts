import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { STEP_KINDS } from '../../../dsl/plan';
import { TEMPLATE_SCHEMA } from '../../../dsl/schema';
import { expectOne, template } from './templates';

describe('TEMPLATE_SCHEMA', () => {
  it('is a standalone JSON Schema (2020-12) that the sample template satisfies', () => {
    expect(TEMPLATE_SCHEMA).toMatchObject({
      $id: expect.stringContaining('/schema/template'),
      title: 'Process template',
    });
    const validate = new Ajv2020({ strict: false }).compile(TEMPLATE_SCHEMA);
    const sample: unknown = parse(
      readFileSync(new URL('../../fixtures/templates/every-step-kind.yaml', import.meta.url), 'utf8'),
    );
    expect(validate(sample)).toBe(true);
    expect(
      validate({ key: 'x', name: 'X', input: { type: 'object' }, steps: [{ id: 'a', call: 'mail.send', retries: 3 }] }),
    ).toBe(false);
  });

  it('describes every step kind', () => {
    const kinds = (TEMPLATE_SCHEMA.$defs.step.allOf as { if: { required: string[] } }[]).map(
      (part) => part.if.required[0],
    );
    expect(kinds.sort()).toEqual([...STEP_KINDS].sort());
  });

  it('reports a schema error at the YAML node, with a suggestion for an unknown key', () => {
    const source = template(`
  - id: notify
    call: mail.send
    with: { to: a@example.com, subject: s, text: t }
    retyr: { maximumAttempts: 3 }
`);
    const d = expectOne(source, 'schema.invalid', 'steps[0].retyr', 'retyr');
    expect(d.message).toContain("did you mean 'retry'?");
  });

  it('says in words what an expression field needs', () => {
    const d = expectOne(
      template(`
  - id: route
    if: input.amount > 3
    end: {}
`),
      'schema.invalid',
      'steps[0].if',
      'input.amount',
    );
    expect(d.message).toBe("must be an expression: a string starting with '=', e.g. =input.amount > 1000");
  });
});
