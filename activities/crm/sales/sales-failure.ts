import { ApplicationFailure } from '@temporalio/activity';
import { RuleError } from '../rules/rule-error';

/**
 * A business failure of a sales activity (unknown record, a transition the data refuses): typed by
 * its code and not retried, since the same data would fail the same way.
 */
export function refuseSale(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * Runs a CRM rule; a `RuleError` (bad business data or a bad policy from the template) becomes a
 * non-retryable failure typed by its code, as the rule activities do. Anything else is a bug.
 */
export function decideByRule<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    throw ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: true,
      details: [error.issues],
    });
  }
}
