/** Polls until `check` returns a value (not undefined), for state the system reaches on its own. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000, intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
