import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ACTIVITY_CATALOG } from '../../../activities';
import { compileTemplate } from '../../../dsl/compile';
import { formatDiagnostic } from '../../../dsl/diagnostics';
import { listTemplateCalls } from '../../../dsl/template-calls';
import { DEMO_USERS } from '../../../db/seed/engine-users';

const DIR = path.resolve('templates');
const FILES = fs
  .readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort();
const ROLES = [...new Set(DEMO_USERS.flatMap((user) => user.roles))];

/** The five built-in processes compile cleanly against the real catalog and the demo roles, bound to their events. */
describe('templates/*.yaml', () => {
  const sources = new Map(FILES.map((file) => [file, fs.readFileSync(path.join(DIR, file), 'utf8')]));
  const calls = new Map(
    [...sources.values()].map((source) => {
      const { key, calls: called } = listTemplateCalls(source);
      return [key ?? '', called] as const;
    }),
  );

  it('ships the five CRM processes', () => {
    expect(FILES).toEqual([
      'lead-assignment.yaml',
      'order-fulfilment.yaml',
      'quote-approval.yaml',
      'survey-reminders.yaml',
      'ticket-escalation.yaml',
    ]);
  });

  it.each(FILES)('%s compiles without errors or warnings, its key matching its file name', (file) => {
    const source = sources.get(file)!;
    const { plan, diagnostics } = compileTemplate(source, {
      catalog: ACTIVITY_CATALOG,
      roles: ROLES,
      resolveTemplateCalls: (key) => calls.get(key),
    });
    expect(diagnostics.map((d) => formatDiagnostic(d, source, file))).toEqual([]);
    expect(plan?.key).toBe(file.replace(/\.yaml$/, ''));
  });

  it('binds each process to the business events that start it', () => {
    const triggers = Object.fromEntries(
      FILES.map((file) => {
        const { plan } = compileTemplate(sources.get(file)!, { catalog: ACTIVITY_CATALOG });
        return [plan!.key, plan!.triggers.map((t) => t.event)];
      }),
    );
    expect(triggers).toEqual({
      'lead-assignment': ['lead.created'],
      'quote-approval': ['quote.submitted'],
      'order-fulfilment': ['order.placed'],
      'ticket-escalation': ['ticket.opened'],
      'survey-reminders': ['ticket.closed', 'order.delivered'],
    });
  });
});
