import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seed/engine-users';
import { ensureWebBuild, PROJECT_ROOT, WEB_DIST } from '../../runtime/web-build';
import { startCrmHarness, type CrmHarness } from './crm-harness';

/** Debian's Chromium (`apt-get install chromium fonts-noto-cjk`; .ci/run installs it): Playwright's own download fails here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the pages the tests visit, to look at (ignored by git). */
export const SCREENSHOT_DIR = join(PROJECT_ROOT, '.tools', 'screenshots');

export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface PageOptions {
  /** The browser's language (navigator.language and Accept-Language). Default `en`. */
  locale?: 'en' | 'zh-CN';
  /** 390 × 844 with touch, instead of 1440 × 900. */
  phone?: boolean;
}

export interface BrowserHarness {
  /** The product: the real API (now also serving the web app) and a worker, with the demo company. */
  crm: CrmHarness;
  /** Where the API and the web app listen: `http://127.0.0.1:<port>`. */
  baseUrl: string;
  browser: Browser;
  /** A page in a browser context of its own (its own cookies), at desktop or phone size. */
  newPage(options?: PageOptions): Promise<Page>;
  /** Signs `email` in on the page's context through the API (cookies as the sign-in page gets them), then opens `path`. */
  signIn(page: Page, email: string, password?: string, path?: string): Promise<void>;
  /**
   * A full-page screenshot to .tools/screenshots/<name>.png, of the page at rest: transitions and
   * animations still running (a list fading in after loading, a menu fading out) are taken at their end.
   */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The web app as people meet it: the product serving dist/web (built first if its sources
 * changed) on a real port of 127.0.0.1, and a headless Chromium. One per test file.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const build = await ensureWebBuild({ info: () => undefined, warn: (m) => process.stderr.write(`${m}\n`) });
  if (build.status === 'failed') throw new Error(`the web app could not be built: ${build.reason}`);
  // Chromium starts while the product does: neither needs the other before the first page.
  const [crmStarted, browserStarted] = await Promise.allSettled([
    startCrmHarness({ web: { root: WEB_DIST } }),
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    }),
  ]);
  if (browserStarted.status === 'rejected') {
    if (crmStarted.status === 'fulfilled') await crmStarted.value.close();
    throw new Error(
      `Chromium did not start from ${CHROMIUM_PATH} (install it: apt-get install -y chromium fonts-noto-cjk): ${String(browserStarted.reason)}`,
    );
  }
  const browser = browserStarted.value;
  if (crmStarted.status === 'rejected') {
    await browser.close();
    throw crmStarted.reason;
  }
  const crm = crmStarted.value;
  const address = await crm.app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const contexts: { close(): Promise<void> }[] = [];

  return {
    crm,
    baseUrl: address,
    browser,
    async newPage(options = {}) {
      const locale = options.locale ?? 'en';
      const context = await browser.newContext({
        baseURL: address,
        locale,
        viewport: options.phone ? PHONE : DESKTOP,
        ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        timezoneId: locale === 'zh-CN' ? 'Asia/Shanghai' : 'Europe/London',
      });
      contexts.push(context);
      return context.newPage();
    },
    async signIn(page, email, password = DEMO_PASSWORD, path = '/') {
      const response = await page.request.post('/api/v1/auth/sign-in', { data: { email, password } });
      if (!response.ok()) throw new Error(`sign-in of ${email} failed: ${response.status()} ${await response.text()}`);
      await page.goto(path);
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await crm.close();
    },
  };
}
