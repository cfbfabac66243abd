/** A filter bound as SQL text: Dates as ISO 8601, strings as given (cast by `?::timestamptz`). */
export function timestampParam(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
