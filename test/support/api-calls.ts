import type { Page, Request } from 'playwright-core';
import { eventually } from './eventually';

export interface ApiCalls {
  /**
   * Waits until an API call whose URL matches `answered` has come back and no API call is in flight,
   * also after the page has rendered what came back (a render may start the next call). This is what
   * `networkidle` was used for, without its 500 ms of silence per wait.
   */
  settled(answered?: (url: URL) => boolean): Promise<void>;
}

/** Follows the page's calls to `/api/` from now on: those in flight and those answered (or failed). */
export function watchApiCalls(page: Page): ApiCalls {
  const inFlight = new Set<Request>();
  const answered: URL[] = [];
  const isApi = (request: Request) => new URL(request.url()).pathname.startsWith('/api/');
  page.on('request', (request) => {
    if (isApi(request)) inFlight.add(request);
  });
  const finish = (request: Request) => {
    if (!inFlight.delete(request)) return;
    answered.push(new URL(request.url()));
  };
  page.on('requestfinished', finish);
  page.on('requestfailed', finish);
  // A string: the tests' TypeScript has no DOM types.
  const twoFrames = () =>
    page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');

  return {
    settled: (wanted = () => true) =>
      eventually(
        async () => {
          if (inFlight.size > 0 || !answered.some(wanted)) return undefined;
          await twoFrames();
          return inFlight.size === 0 ? true : undefined;
        },
        { description: 'the API calls of the page to be answered', timeoutMs: 30_000, intervalMs: 20 },
      ).then(() => undefined),
  };
}
