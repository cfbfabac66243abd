import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { RuleError, type RuleErrorCode, type RuleIssue } from './rule-error';

// Errors worth showing to a designer; the rest restate the same problem one level up
// (`anyOf`, or `false` schemas under additionalProperties).
const NOISE = new Set(['boolean', 'anyOf']);
const SHOWN_IN_MESSAGE = 3;

/**
 * Checks data against the schema the rule publishes and throws a `RuleError` naming every
 * offending field, so the caller learns all of them at once instead of one per attempt.
 */
export function checkRuleData<T extends TSchema>(
  schema: T,
  value: unknown,
  code: RuleErrorCode,
  subject: string,
): asserts value is Static<T> {
  if (Value.Check(schema, value)) return;
  const issues: RuleIssue[] = [];
  for (const error of Value.Errors(schema, value)) {
    if (NOISE.has(error.keyword)) continue;
    issues.push({ path: error.instancePath, message: describe(error.message, error.params) });
  }
  const shown = issues.slice(0, SHOWN_IN_MESSAGE).map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
  const more = issues.length > SHOWN_IN_MESSAGE ? ` (and ${issues.length - SHOWN_IN_MESSAGE} more)` : '';
  throw new RuleError(code, `${subject} is invalid at ${shown.join('; ')}${more}`, issues);
}

function describe(message: string, params: Record<string, unknown>): string {
  if (Array.isArray(params['allowedValues'])) return `${message}: ${params['allowedValues'].join(', ')}`;
  if (Array.isArray(params['additionalProperties'])) return `${message}: ${params['additionalProperties'].join(', ')}`;
  return message;
}
