/**
 * Links in mail data given as paths (`leadUrl: /api/v1/leads/L-1`) are made absolute with the
 * deployment's PUBLIC_URL, so templates never name a host: only fields whose name ends in `Url`
 * and whose value starts with a single `/` are touched.
 */
export function absoluteLinks(data: Record<string, unknown>, publicUrl: string | undefined): Record<string, unknown> {
  const base = (publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [
    key,
    key.endsWith('Url') && typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? `${base}${value}` : value,
  ]));
}
