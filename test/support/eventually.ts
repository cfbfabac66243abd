export interface PollOptions {
  /** What is awaited, for the time-out message. */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * The one polling loop of the tests, for state the system reaches on its own: calls `check` until it
 * returns a value (not undefined), at most until `timeoutMs` has passed. A string is the description.
 */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  options: string | PollOptions,
): Promise<T> {
  const {
    description,
    timeoutMs = 20_000,
    intervalMs = 50,
  } = typeof options === 'string' ? { description: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Retries `assertion` until it passes (returns without throwing), on the same loop; at the deadline
 * its last failure is thrown, so the test reports what was expected and what was there.
 */
export async function eventuallyPasses<T>(assertion: () => Promise<T>, options: string | PollOptions): Promise<T> {
  let failure: unknown;
  const passed = await eventually(async () => {
    try {
      return { value: await assertion() };
    } catch (error) {
      failure = error;
      return undefined;
    }
  }, options).catch((timeout: unknown) => {
    throw failure ?? timeout;
  });
  return passed.value;
}
