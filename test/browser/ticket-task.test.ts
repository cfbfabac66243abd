import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { getTicket, openTask, openTicket } from '../e2e/crm/processes/service-process-fixtures';

/**
 * An agent works a ticket from the app: the task page shows the ticket with its SLA clocks and
 * escalation level beside the decision, in the agent's language, and answering it there records
 * the response on the ticket.
 */
describe('a ticket task in the web app', () => {
  let web: BrowserHarness;
  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 240_000);
  afterAll(async () => web?.close());

  /** A person who may take the task (its assignee, else a holder of its candidate role) and their saved language. */
  async function personFor(task: {
    assignee: string | null;
    candidate_role: string | null;
  }): Promise<{ email: string; locale: string }> {
    const [row] = await web.crm.sql<{ email: string; locale: string | null }>(
      task.assignee
        ? `select email, attributes->>'locale' as locale from engine_user where id = ?`
        : `select email, attributes->>'locale' as locale from engine_user where ? = any(roles) and active order by id limit 1`,
      [task.assignee ?? task.candidate_role],
    );
    return { email: row!.email, locale: row!.locale ?? 'en' };
  }

  for (const [browserLocale, phone] of [
    ['en', false],
    ['zh-CN', true],
  ] as const) {
    it(`shows the ticket and its SLA clocks beside the decision, and records the response (browser ${browserLocale})`, async () => {
      const { ticketId, instanceId } = await openTicket(web.crm, {
        subject: `ERP export fails ${browserLocale}`,
        body: 'Exporting the invoices to the ERP stops with an error since this morning.',
      });
      const task = (await openTask(web.crm, instanceId, 'respond')) as unknown as {
        id: string;
        assignee: string | null;
        candidate_role: string | null;
      };
      const page = await web.newPage({ locale: browserLocale, phone });
      const person = await personFor(task);
      await web.signIn(page, person.email, undefined, `/tasks/${encodeURIComponent(task.id)}`);
      // A language the person saved wins over the browser's.
      const locale = person.locale === 'zh-CN' ? 'zh-CN' : 'en';
      const context = page.getByTestId('ticket-context');
      await context.waitFor();
      expect(await context.textContent()).toContain(`ERP export fails ${browserLocale}`);
      expect(await page.getByTestId('escalation-level').textContent()).toBe(locale === 'en' ? 'Level 0' : '第 0 级');
      // The response clock counts down in the reader's language.
      expect(await context.textContent()).toMatch(locale === 'en' ? /in \d+/ : /剩余/);
      // The template's texts follow too: the title, the form and the outcome in the reader's language.
      await page
        .getByTestId('task-title')
        .filter({ hasText: locale === 'en' ? '[low] ERP export' : '[低] ERP export' })
        .waitFor();
      expect(await page.getByTestId('outcome-responded').textContent()).toBe(locale === 'en' ? 'Responded' : '已答复');
      await web.screenshot(page, `task-ticket-${locale}-${phone ? 'phone' : 'desktop'}`);

      if ((await page.getByTestId('claim').count()) > 0) await page.getByTestId('claim').click();
      await page.getByTestId('comment').fill('Looking into the export now.');
      await page.getByTestId('outcome-responded').click();
      await page.getByTestId('task-closed').waitFor();
      const ticket = await getTicket(web.crm, ticketId);
      expect(ticket.respondedAt).not.toBeNull();
    });
  }
});
