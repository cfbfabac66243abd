/**
 * A database read that only labels or reports something (a log line's template, a metrics scrape)
 * must not hold up its caller while PostgreSQL is slow or gone: it rejects after `ms`. The read
 * itself is not cancelled; its answer, when it comes, is dropped.
 */
export function readWithin<T>(read: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([read, timeout]).finally(() => clearTimeout(timer));
}
