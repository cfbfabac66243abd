/** What the chaos clients send and get back through the product's HTTP API. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** Answers worth sending the same request again for: the API down, cut off, or saying "later". */
export function isTransient(status: number): boolean {
  return status === 0 || status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

/**
 * One HTTP call as a demo user; a refused or cut-off connection is status 0 rather than an
 * exception, since during the run the API is killed on purpose.
 */
export async function callApi<T = unknown>(
  baseUrl: string,
  apiKey: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  try {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the report.
    }
    return { status: response.status, body: parsed as T };
  } catch {
    return { status: 0, body: null as T };
  }
}

/**
 * Sends the create until it is answered for good, with the same Idempotency-Key each time, the way
 * a client that lost its answer must: a retried create that had committed returns the first
 * result instead of making a second record.
 */
export async function createIdempotently<T>(
  baseUrl: string,
  apiKey: string,
  url: string,
  body: unknown,
  idempotencyKey: string,
  deadline: number,
  onTransient: (status: number) => void = () => undefined,
): Promise<ApiAnswer<T> & { attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    const answer = await callApi<T>(baseUrl, apiKey, 'POST', url, body, { 'idempotency-key': idempotencyKey });
    // Another attempt of this very request still holds the key (the first one was cut off mid-way).
    const keyBusy =
      answer.status === 409 && String((answer.body as { type?: unknown } | null)?.type).endsWith('in-use');
    if ((!isTransient(answer.status) && !keyBusy) || Date.now() > deadline) return { ...answer, attempts };
    onTransient(answer.status);
    await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempts, 3_000)));
  }
}
