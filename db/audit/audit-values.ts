/** Fields whose value must never reach the audit trail; the change is recorded as `[redacted]`. */
export function isSecretField(name: string): boolean {
  return /password|secret|token/i.test(name) || /.Hash$/.test(name);
}

export const REDACTED = '[redacted]';

/**
 * Field values as the audit trail stores them: JSON-safe (dates as ISO text, bigints as text)
 * and with secrets redacted.
 */
export function toAuditValues(fields: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(fields, (key, value: unknown) => {
    if (key !== '' && isSecretField(key) && value !== null && value !== undefined) return REDACTED;
    return typeof value === 'bigint' ? value.toString() : value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}
