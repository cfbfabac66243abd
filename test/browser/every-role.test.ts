import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { watchApiCalls } from '../support/api-calls';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';

/** One demo person of each role the demo company has (the admin also designs). */
const PEOPLE = [
  'admin@crm.example',
  'sales.manager@crm.example',
  'sales.rep@crm.example',
  'finance@crm.example',
  'director@crm.example',
  'cr.manager@crm.example',
  'cr.agent@crm.example',
  'support.lead@crm.example',
  'tech1@crm.example',
  'service.desk@crm.example',
  'warehouse@crm.example',
];

/**
 * Whatever role a person holds, the app they sign in to works: the inbox and its four views load
 * with their counts, no script fails, and the app asks the API for nothing their role may not have
 * (a 403 or a 5xx from the API would mean a page built for someone else).
 */
describe('the web app for every role', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => web?.close());

  async function expectWorkingInbox(email: string, phone: boolean): Promise<void> {
    const page = await web.newPage({ phone, locale: email.startsWith('director') ? 'zh-CN' : 'en' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    page.on('response', (response) => {
      const status = response.status();
      if (response.url().includes('/api/') && (status === 403 || status >= 500)) {
        problems.push(`${status} ${response.request().method()} ${new URL(response.url()).pathname}`);
      }
    });
    const calls = watchApiCalls(page);
    await web.signIn(page, email, undefined, '/inbox');
    await page.getByTestId('inbox').waitFor();
    for (const view of ['mine', 'queue', 'unassigned', 'done']) {
      await page.getByTestId(`tab-${view}`).click();
      await page.getByTestId(`count-${view}`).waitFor();
      // The view's list has come back, and whatever else the page asked for with it.
      await calls.settled((url) => url.pathname === '/api/v1/tasks' && url.searchParams.get('view') === view);
    }
    expect(problems).toEqual([]);
    // Nothing wider than the screen: a phone never scrolls sideways.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  }

  it.each(PEOPLE)('%s signs in to a working inbox, in both widths', async (email) => {
    // Side by side: each page spends much of its time waiting for the API.
    await Promise.all([false, true].map((phone) => expectWorkingInbox(email, phone)));
  });
});
