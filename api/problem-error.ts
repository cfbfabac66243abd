/**
 * Problem types are URIs so clients can branch on them without parsing prose
 * (RFC 9457 §3.1.1). They are identifiers, not links: nothing is served there yet.
 */
const PROBLEM_TYPE_BASE = 'https://crm-engine.dev/problems/';

export function problemTypeUri(slug: string): string {
  return PROBLEM_TYPE_BASE + slug;
}

export interface ProblemInit {
  status: number;
  /** Stable slug, e.g. `instance-not-found`; becomes `https://crm-engine.dev/problems/<slug>`. */
  type: string;
  title: string;
  detail: string;
  /** Extra members merged into the body (RFC 9457 §3.2), e.g. `{ checks }`. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The error route code throws when it knows what went wrong. Unlike a plain
 * Error, its detail is written for the client, so it is sent even for 5xx.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    // A problem is an error reply; anything else is a bug in the throwing route, caught on its first run.
    if (!Number.isInteger(init.status) || init.status < 400 || init.status > 599) {
      throw new RangeError(`ProblemError status must be 400-599, got ${init.status}`);
    }
    this.name = 'ProblemError';
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
  }
}
