/**
 * The failure codes that reach a client, each with the HTTP answer it gets: the interpreter's
 * rejections of task actions (workflows/task-updates.ts), the data layer's domain errors and the
 * API's problem+json mapper all use this one table. `type` is the problem type's slug
 * (https://crm-engine.dev/problems/<type>); several codes may share one.
 */
export const FAILURES = {
  'cursor.invalid': { status: 400, type: 'cursor-invalid', title: 'Bad Request' },
  'task.unknown': { status: 404, type: 'task-not-found', title: 'Not Found' },
  'task.closed': { status: 409, type: 'task-closed', title: 'Conflict' },
  'task.outcome-invalid': { status: 422, type: 'invalid-outcome', title: 'Unprocessable Content' },
  'task.form-invalid': { status: 422, type: 'invalid-form', title: 'Unprocessable Content' },
  'task.delegate-invalid': { status: 422, type: 'invalid-delegate', title: 'Unprocessable Content' },
  'task.not-candidate': { status: 403, type: 'forbidden', title: 'Forbidden' },
  'task.not-assignee': { status: 403, type: 'forbidden', title: 'Forbidden' },
  /** The delegate could not be a candidate of the task (role, attribute filter, inactive). */
  'task.delegate-not-candidate': { status: 422, type: 'delegate-not-candidate', title: 'Unprocessable Content' },
  /** A manager hands a team member's task only to someone of the same team. */
  'task.delegate-outside-team': { status: 403, type: 'delegate-outside-team', title: 'Forbidden' },
  /** The person may not decide this task: they own the record under approval (four-eyes rule). */
  'task.four-eyes': { status: 403, type: 'four-eyes', title: 'Forbidden' },
  /** Only the assignee of a task with candidates to go back to may release it. */
  'task.release-invalid': { status: 422, type: 'release-invalid', title: 'Unprocessable Content' },
  /** A link in a mail that the server did not sign, or mangled: told apart from nothing else, so guessing learns nothing. */
  'link.not-found': { status: 404, type: 'link-not-found', title: 'Link not found' },
  'link.expired': { status: 410, type: 'link-expired', title: 'This link has expired' },
  /** A single-use link that has acted already. */
  'link.used': { status: 410, type: 'link-used', title: 'This link has been used already' },
  /** The link's recipient may no longer act (deactivated, no longer a candidate of the task). */
  'link.recipient-invalid': { status: 403, type: 'link-recipient-invalid', title: 'Forbidden' },
  /** A task-action link for a task whose outcome needs a form: it has to be decided in the app. */
  'link.form-required': { status: 422, type: 'form-required', title: 'Unprocessable Content' },
  /** An operator's incident action (set variables, retry, fail) on an instance with no step in incident. */
  'instance.no-incident': { status: 409, type: 'no-incident', title: 'Conflict' },
  /** Variables an operator sets that are not an object of JSON values within the size limit. */
  'instance.vars-invalid': { status: 422, type: 'invalid-variables', title: 'Unprocessable Content' },
  'value.too-large': { status: 422, type: 'value-too-large', title: 'Unprocessable Content' },
  'out-of-office.not-found': { status: 404, type: 'out-of-office-not-found', title: 'Not Found' },
  /** The period is empty or the delegate could not take the person's tasks. */
  'out-of-office.invalid': { status: 422, type: 'out-of-office-invalid', title: 'Unprocessable Content' },
} as const satisfies Record<string, FailureAnswer>;

export interface FailureAnswer {
  status: number;
  type: string;
  title: string;
}

export type FailureCode = keyof typeof FAILURES;

/** Codes a task Update's validator rejects with (the API maps each by {@link FAILURES}). */
export type TaskRejectionCode = Extract<FailureCode, `task.${string}`>;

export function isFailureCode(code: string): code is FailureCode {
  return Object.hasOwn(FAILURES, code);
}

/**
 * A caller's mistake the data layer detects (a forged cursor, a rule the data refuses). `code`
 * is stable; the API answers it by {@link FAILURES}, or 422 for a code the table does not list.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
