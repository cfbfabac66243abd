/** A caller's mistake a repository detects; `code` is stable, the API maps it to a problem type. */
export class DomainError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'DomainError';
  }
}
