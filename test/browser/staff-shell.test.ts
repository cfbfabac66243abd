import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { eventuallyPasses } from '../support/eventually';

/** The staff app's frame: signing in and out, a session running out, the language, both widths. */
describe('staff app: sign-in and shell', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => web?.close());

  const signInThroughForm = async (page: Page, email: string, password: string) => {
    await page.getByTestId('sign-in-email').fill(email);
    await page.getByTestId('sign-in-password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  };

  it('sends a visitor to the sign-in page, shows a wrong password, then returns to the page asked for', async () => {
    const page = await web.newPage();
    await page.goto('/inbox?view=queue');
    await page.getByTestId('sign-in-submit').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByTestId('session-expired').count()).resolves.toBe(0);
    await web.screenshot(page, 'sign-in-en-desktop');

    await signInThroughForm(page, 'sales.manager@crm.example', 'not the password');
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('wrong');

    await signInThroughForm(page, 'sales.manager@crm.example', 'demo-password-2026');
    await page.getByTestId('inbox').waitFor();
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('view')]).toEqual(['/inbox', 'queue']);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Morgan Manager');
    await expect(page.getByTestId('nav-inbox').textContent()).resolves.toBe('Inbox');
  });

  it('takes a person whose session ended to the sign-in page with a message, and back after signing in', async () => {
    const page = await web.newPage();
    await web.signIn(page, 'sales.rep@crm.example');
    await page.getByTestId('inbox').waitFor();
    await page.context().clearCookies();
    await page.getByTestId('tab-done').click();
    await page.getByTestId('session-expired').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    await signInThroughForm(page, 'sales.rep@crm.example', 'demo-password-2026');
    await page.getByTestId('inbox').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBe('done');
  });

  it('signs out: the session is over for the API too', async () => {
    const page = await web.newPage({ phone: true });
    await web.signIn(page, 'sales.rep@crm.example');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-submit').waitFor();
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
    await page.goto('/inbox');
    await page.getByTestId('sign-in-submit').waitFor();
  });

  it('speaks the browser language before sign-in, at phone width without overflow', async () => {
    const page = await web.newPage({ locale: 'zh-CN', phone: true });
    await page.goto('/sign-in');
    await page.getByTestId('sign-in-submit').waitFor();
    await expect(page.getByTestId('sign-in-submit').textContent()).resolves.toMatch(/登\s*录/);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await web.screenshot(page, 'sign-in-zh-CN-phone');
    const desktop = await web.newPage({ locale: 'zh-CN' });
    await desktop.goto('/sign-in');
    await desktop.getByTestId('sign-in-submit').waitFor();
    await web.screenshot(desktop, 'sign-in-zh-CN-desktop');
    const phoneEn = await web.newPage({ phone: true });
    await phoneEn.goto('/sign-in');
    await phoneEn.getByTestId('sign-in-submit').waitFor();
    await web.screenshot(phoneEn, 'sign-in-en-phone');
  });

  it("starts in the person's saved language and remembers a switch on the server", async () => {
    // The director saved zh-CN: the app speaks Chinese to them in an English browser.
    const page = await web.newPage();
    await web.signIn(page, 'director@crm.example');
    await page.getByTestId('inbox').waitFor();
    await expect(page.getByTestId('nav-inbox').textContent()).resolves.toBe('收件箱');

    await page.getByTestId('locale-switch').click();
    await page.getByTitle('English').click();
    await expect(page.getByTestId('nav-inbox').textContent()).resolves.toBe('Inbox');
    const me = async () => ((await (await page.request.get('/api/v1/me')).json()) as { locale: string }).locale;
    await eventuallyPasses(async () => expect(await me()).toBe('en'), 'the saved locale en');
    // Put it back for whoever runs next against this database.
    await page.getByTestId('locale-switch').click();
    await page.getByTitle('中文').click();
    await eventuallyPasses(async () => expect(await me()).toBe('zh-CN'), 'the saved locale zh-CN');
  });
});
