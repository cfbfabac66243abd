import { describe, expect, it } from '@jest/globals';
import { Type } from 'typebox';
import { checkRuleData } from '../../../../../activities/crm/rules/check-rule-data';
import { RuleError } from '../../../../../activities/crm/rules/rule-error';

const Schema = Type.Object(
  { a: Type.Integer({ minimum: 0 }), b: Type.Enum(['x', 'y']) },
  { additionalProperties: false },
);

describe('checkRuleData', () => {
  it('accepts valid data', () => {
    expect(() => checkRuleData(Schema, { a: 1, b: 'x' }, 'rule.invalid-input', 'thing')).not.toThrow();
  });

  it('names every offending field, with allowed values and unexpected keys', () => {
    let caught: unknown;
    try {
      checkRuleData(Schema, { a: -1, b: 'z', c: 1 }, 'rule.invalid-policy', 'thing');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleError);
    const error = caught as RuleError;
    expect(error.code).toBe('rule.invalid-policy');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['', '/a', '/b']);
    expect(error.message).toMatch(/^thing is invalid at /);
    expect(error.message).toContain('/b: must be equal to one of the allowed values: x, y');
    expect(error.message).toContain('must not have additional properties: c');
  });
});
