import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ACTIVITY_CATALOG } from '../../../activities';
import { compileTemplate } from '../../../dsl/compile';
import { formatDiagnostic } from '../../../dsl/diagnostics';
import { listTemplateCalls } from '../../../dsl/template-calls';
import { DEMO_USERS } from '../../../db/seed/engine-users';
import type { StepPlan, TaskStep } from '../../../dsl/plan';

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

  it('speaks both languages: every task has its title per locale, a label per outcome and a title per form field', () => {
    const tasks = FILES.flatMap((file) => {
      const { plan } = compileTemplate(sources.get(file)!, { catalog: ACTIVITY_CATALOG });
      return tasksOf([...plan!.steps, ...(plan!.onFailure ?? [])]).map((task) => ({ file, task }));
    });
    expect(tasks.length).toBeGreaterThanOrEqual(8);
    for (const { file, task } of tasks) {
      const where = `${file} ${task.id}`;
      expect({ where, locales: Object.keys(task.texts ?? {}) }).toEqual({ where, locales: ['en', 'zh-CN'] });
      expect({ where, labelled: Object.keys(task.outcomeLabels ?? {}) }).toEqual({ where, labelled: task.outcomes });
      for (const label of Object.values(task.outcomeLabels ?? {})) expect(label['zh-CN']).not.toBe(label.en);
      for (const [name, field] of Object.entries(task.form?.properties ?? {}))
        expect({ where, name, title: field.title }).toEqual({
          where,
          name,
          title: { en: expect.any(String), 'zh-CN': expect.any(String) },
        });
    }
  });
});

/** Every task step of a plan, nested ones included. */
function tasksOf(steps: readonly StepPlan[]): TaskStep[] {
  return steps.flatMap((step): TaskStep[] => {
    const nested: StepPlan[] = [...(step.onError?.steps ?? [])];
    if (step.kind === 'task') return [step];
    if (step.kind === 'switch') nested.push(...step.cases.flatMap((c) => c.steps), ...(step.otherwise ?? []));
    if (step.kind === 'parallel') nested.push(...step.branches.flatMap((b) => b.steps));
    if (step.kind === 'forEach' || step.kind === 'repeat') nested.push(...step.steps);
    if (step.kind === 'receive') nested.push(...(step.onTimeout ?? []));
    if (step.kind === 'call') nested.push(...(step.compensate ?? []));
    return tasksOf(nested);
  });
}
