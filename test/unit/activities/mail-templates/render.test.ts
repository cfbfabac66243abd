import { describe, expect, it } from '@jest/globals';
import Mustache from 'mustache';
import {
  MAIL_LOCALES,
  builtinMailTemplates,
  renderMail,
  resolveMailLocale,
  findMissingData,
  type MailRenderError,
} from '../../../../activities/mail-templates';
import { SAMPLE_DATA } from './sample-data';

const SHIPPED = [
  'lead-assigned',
  'task-assigned',
  'task-reminder',
  'task-escalated',
  'task-delegated',
  'task-withdrawn',
  'quote-approval-requested',
  'quote-decided',
  'order-confirmed',
  'stock-short-supplier',
  'ticket-received',
  'ticket-resolved',
  'survey-invitation',
  'survey-reminder',
  'warehouse-shipment',
];

function namesUsed(source: string): string[] {
  const names: string[] = [];
  const walk = (spans: ReturnType<typeof Mustache.parse>) => {
    for (const span of spans) {
      if (span[0] !== 'text' && span[0] !== '!') names.push(span[1]);
      if (Array.isArray(span[4])) walk(span[4] as ReturnType<typeof Mustache.parse>);
    }
  };
  walk(Mustache.parse(source));
  return [...new Set(names)].sort();
}

describe('shipped mail templates', () => {
  it('include every template the CRM processes send, in every locale', () => {
    const templates = builtinMailTemplates();
    expect([...templates.keys()].sort()).toEqual([...SHIPPED].sort());
    for (const name of SHIPPED)
      expect([...(templates.get(name)?.keys() ?? [])].sort()).toEqual([...MAIL_LOCALES].sort());
  });

  it('are read once per process', () => {
    expect(builtinMailTemplates()).toBe(builtinMailTemplates());
  });

  describe.each(SHIPPED.flatMap((name) => MAIL_LOCALES.map((locale) => [name, locale] as const)))(
    '%s (%s)',
    (name, locale) => {
      it('renders the sample data with no gaps', () => {
        const data = SAMPLE_DATA[name] ?? {};
        const mail = renderMail(name, locale, data);
        expect(mail.locale).toBe(locale);
        expect(mail.subject.length).toBeGreaterThan(0);
        expect(mail.subject).not.toMatch(/[\r\n]|\{\{/);
        expect(mail.text).not.toMatch(/\{\{|\}\}/);
        const strings = Object.values(data).filter(
          (value): value is string => typeof value === 'string' && value.startsWith('https://'),
        );
        for (const url of strings) expect(mail.text).toContain(url);
        if (locale === 'zh-CN') expect(mail.subject + mail.text).toMatch(/[\u4e00-\u9fff]/);
        else expect(mail.subject + mail.text).not.toMatch(/[\u4e00-\u9fff]/);
      });
    },
  );

  it.each(SHIPPED)('%s uses the same data names in every locale', (name) => {
    const locales = builtinMailTemplates().get(name);
    const used = MAIL_LOCALES.map((locale) => {
      const t = locales?.get(locale);
      return t ? namesUsed(`${t.subject}\n${t.text}`) : [];
    });
    expect(used[1]).toEqual(used[0]);
  });
});

describe('resolveMailLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr', 'en'],
    ['de-DE', 'en'],
  ])('%s → %s', (requested, expected) => {
    expect(resolveMailLocale(requested)).toBe(expected);
  });

  it('falls back to en when the template lacks the requested language', () => {
    expect(resolveMailLocale('zh', ['en'])).toBe('en');
  });

  it('renders the fallback through renderMail', () => {
    expect(renderMail('survey-reminder', 'zh', SAMPLE_DATA['survey-reminder'] ?? {}).subject).toBe(
      '提醒：Service satisfaction',
    );
    expect(renderMail('survey-reminder', 'ja-JP', SAMPLE_DATA['survey-reminder'] ?? {}).locale).toBe('en');
    expect(renderMail('survey-reminder', undefined, SAMPLE_DATA['survey-reminder'] ?? {}).locale).toBe('en');
  });
});

describe('renderMail', () => {
  const hostile = {
    ...SAMPLE_DATA['quote-approval-requested'],
    customerName: 'Tom & "Jerry" <script>',
    lines: [{ product: "<b>O'Neil</b>", quantity: 1, amount: '1' }],
  };

  it('escapes HTML in the html part only', () => {
    const mail = renderMail('quote-approval-requested', 'en', hostile);
    expect(mail.html).toContain('Tom &amp; &quot;Jerry&quot; &lt;script&gt;');
    expect(mail.html).toContain('&lt;b&gt;O&#39;Neil&lt;/b&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Tom & "Jerry" <script>');
    expect(mail.subject).toBe('Approval needed: quote Q-2025-0042 v2 for Tom & "Jerry" <script>');
  });

  it('keeps a subject on one line whatever the data holds', () => {
    const mail = renderMail('task-assigned', 'en', {
      ...SAMPLE_DATA['task-assigned'],
      taskTitle: 'Call\r\nBcc: x@evil.test',
    });
    expect(mail.subject).toBe('New task: Call Bcc: x@evil.test');
  });

  it('renders sections and inverted sections', () => {
    const data = SAMPLE_DATA['quote-decided'] ?? {};
    expect(renderMail('quote-decided', 'zh-CN', data).subject).toBe('报价 Q-2025-0042 未通过审批');
    const approved = renderMail('quote-decided', 'en', { ...data, approved: true, comment: undefined });
    expect(approved.subject).toBe('Quote Q-2025-0042 approved');
    expect(approved.text).not.toContain('Comment:');
  });

  it('rejects an unknown template', () => {
    expect(() => renderMail('no-such-mail', 'en', {})).toThrow(
      expect.objectContaining({ code: 'mail.unknown-template' }),
    );
  });

  it('lists every missing data field the rendered template refers to', () => {
    const { taskUrl: _url, dueDate: _due, ...rest } = SAMPLE_DATA['task-reminder'] ?? {};
    let error: MailRenderError | undefined;
    try {
      renderMail('task-reminder', 'en', { ...rest, assigneeName: null });
    } catch (e) {
      error = e as MailRenderError;
    }
    expect(error?.code).toBe('mail.missing-data');
    // Not dueDate: a reminder that is not overdue words a task without a due date differently.
    expect(error?.missing.sort()).toEqual(['assigneeName', 'taskUrl']);
    expect(error?.message).toMatch(/assigneeName/);
  });
});

describe('findMissingData', () => {
  it('walks list items and names the field inside its section', () => {
    expect(
      findMissingData('{{#lines}}{{sku}} {{qty}}{{/lines}}', { lines: [{ sku: 'a', qty: 1 }, { sku: 'b' }] }),
    ).toEqual(['lines.qty']);
  });

  it('resolves names from outer contexts as mustache does', () => {
    expect(
      findMissingData('{{#lines}}{{sku}} for {{customer}}{{/lines}}', { customer: 'Acme', lines: [{ sku: 'a' }] }),
    ).toEqual([]);
  });

  it('ignores parts that would not render and absent section names', () => {
    expect(findMissingData('{{#vip}}{{badge}}{{/vip}}{{^vip}}{{plain}}{{/vip}}', { plain: 'x' })).toEqual([]);
    expect(findMissingData('{{#vip}}{{badge}}{{/vip}}{{^vip}}{{plain}}{{/vip}}', { vip: true })).toEqual(['vip.badge']);
    expect(findMissingData('{{#lines}}{{sku}}{{/lines}}', { lines: [] })).toEqual([]);
  });

  it('follows dotted names and counts empty strings and zero as present', () => {
    expect(
      findMissingData('{{rep.name}} {{rep.email}} {{{raw}}} {{n}}', { rep: { name: '' }, raw: 'x', n: 0 }),
    ).toEqual(['rep.email']);
  });
});

describe('task mails', () => {
  it('list one link per outcome when they are given, and nothing about links when not', () => {
    const escalated = renderMail('task-escalated', 'zh-CN', SAMPLE_DATA['task-escalated'] ?? {});
    expect(escalated.text).toContain('- approve：https://crm.example/l/tok-approve');
    expect(escalated.text).toContain('- reject：https://crm.example/l/tok-reject');
    expect(escalated.text).toContain('有效期至 2025-07-09 09:00 UTC');
    const assigned = renderMail('task-assigned', 'en', SAMPLE_DATA['task-assigned'] ?? {});
    expect(assigned.text).not.toMatch(/decide here|\/l\//);
    expect(assigned.text).toContain('Priority: high, due 2025-07-02');
  });

  it('word a reminder for a task without a due date', () => {
    const mail = renderMail('task-reminder', 'en', { ...SAMPLE_DATA['task-reminder'], dueDate: null });
    expect(mail.text).toContain('is still waiting for you');
    expect(mail.text).toContain('- done: https://crm.example/l/tok-done');
  });
});
