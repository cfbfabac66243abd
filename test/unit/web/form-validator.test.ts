import { describe, expect, it } from '@jest/globals';
import { formErrors, formValidator } from '../../../web/src/staff/task/form-validator';

/** The task page's form validator (no ajv: the app's CSP forbids compiled code) on task-form schemas. */
describe('task form validator', () => {
  const schema = {
    type: 'object' as const,
    required: ['changeReason'],
    properties: {
      changeReason: { type: 'string' as const, minLength: 1, maxLength: 5 },
      amountCents: { type: 'integer' as const, minimum: 0 },
      channel: { type: 'string' as const, enum: ['phone', 'mail'] },
    },
  };
  const summary = (data: unknown) => formErrors(schema, data).map((e) => [e.property, e.name, e.params]);

  it('accepts valid data', () => {
    expect(summary({ changeReason: 'ok', amountCents: 5, channel: 'mail' })).toEqual([]);
    expect(formValidator.isValid(schema, { changeReason: 'ok' }, schema)).toBe(true);
  });

  it('reports each broken keyword at its field, with the limit a translation needs', () => {
    expect(summary({})).toEqual([['.changeReason', 'required', { missingProperty: 'changeReason' }]]);
    expect(summary({ changeReason: 'too long', amountCents: -1, channel: 'fax' })).toEqual([
      ['.changeReason', 'maxLength', { limit: 5 }],
      ['.amountCents', 'minimum', { limit: 0 }],
      ['.channel', 'enum', { allowedValues: ['phone', 'mail'] }],
    ]);
    expect(summary({ changeReason: 'x', amountCents: 1.5 })).toEqual([['.amountCents', 'type', { type: 'integer' }]]);
  });

  it('gives rjsf an error schema keyed by field, after the translation hook', () => {
    const result = formValidator.validateFormData({}, schema, undefined, (errors) =>
      errors.map((e) => ({ ...e, message: `translated ${e.name ?? ''}` })),
    );
    expect(result.errorSchema).toEqual({ changeReason: { __errors: ['translated required'] } });
  });
});
