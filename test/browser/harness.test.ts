import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';

/** The harness itself: the product serves the built app to a real Chromium, and a demo person's sign-in holds. */
describe('the web app in Chromium', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => web?.close());

  it('loads both entries from the product, with no failed request or script error', async () => {
    const page = await web.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('/api/'))
        problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto('/');
    await page.locator('#root > *').first().waitFor();
    await page.goto('/l/not-a-real-token');
    await page.locator('#root > *').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('signs a demo person in: the API then knows them from the page', async () => {
    const page = await web.newPage({ locale: 'zh-CN', phone: true });
    await web.signIn(page, 'sales.manager@crm.example');
    const me = await page.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe('u-sales-manager');
    expect(await page.evaluate('navigator.language')).toBe('zh-CN');
    expect(page.viewportSize()).toEqual({ width: 390, height: 844 });
    // Signing out ends the session and takes the cookies with it.
    expect((await page.request.post('/api/v1/auth/sign-out')).status()).toBe(204);
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
  });
});
