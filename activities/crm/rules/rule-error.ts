/**
 * Why a CRM rule refused to decide. `invalid-input` means the business data handed in is wrong
 * (a negative quantity, an unknown grade); `invalid-policy` means the designer's template data is
 * wrong (a tier table with duplicate steps, a duration in months). The wrapping activity turns
 * either into a non-retryable failure typed by `code`: retrying cannot fix bad data.
 */
export type RuleErrorCode = 'rule.invalid-input' | 'rule.invalid-policy';

/** One problem found in the data, located by a JSON pointer into the value that was checked. */
export interface RuleIssue {
  path: string;
  message: string;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';

  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly issues: readonly RuleIssue[] = [],
  ) {
    super(message);
  }
}

/** Throws a single-issue error; for checks a schema cannot express (cross-field, ordering). */
export function refuse(code: RuleErrorCode, subject: string, path: string, message: string): never {
  throw new RuleError(code, `${subject} is invalid at ${path || '(root)'}: ${message}`, [{ path, message }]);
}
