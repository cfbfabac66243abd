import { describe, expect, it } from '@jest/globals';
import { renderMail } from '../../../../activities/mail-templates/render';
import {
  formatMailDate,
  formatMailDateTime,
  formatMailMoney,
} from '../../../../activities/mail-templates/value-formats';
import { SAMPLE_DATA } from './sample-data';

describe('mail value formats', () => {
  const instant = new Date('2026-12-01T10:05:00Z');

  it('writes money, days and instants as each locale does, in UTC and saying so', () => {
    expect(formatMailMoney(1_234_550, 'en')).toBe('12,345.50');
    expect(formatMailMoney(1_250, 'zh-CN')).toBe('12.50');
    expect(formatMailDate(instant, 'en')).toBe('1 Dec 2026');
    expect(formatMailDate(instant, 'zh-CN')).toBe('2026年12月1日');
    expect(formatMailDateTime(instant, 'en')).toBe('1 Dec 2026, 10:05 UTC');
    expect(formatMailDateTime(instant, 'zh-CN')).toBe('2026年12月1日 10:05（协调世界时）');
  });

  it('formats the values a template wraps, and says a missing delivery date is to be confirmed', () => {
    const { deliveryDate: _unknown, ...data } = SAMPLE_DATA['order-confirmed'] ?? {};
    const zh = renderMail('order-confirmed', 'zh-CN', { ...data, orderDate: '2025-07-01', totalCents: 1_250 });
    expect(zh.text).toContain('您于 2025年7月1日 提交');
    expect(zh.text).toContain('订单总额：12.50');
    expect(zh.text).toContain('预计交货日期：待确认。');
    const en = renderMail('order-confirmed', 'en', { ...data, deliveryDate: '2025-07-15' });
    expect(en.text).toContain('Expected delivery: 15 Jul 2025.');
  });

  it('leaves a value that is not a date or a number as it was given', () => {
    const mail = renderMail('ticket-received', 'en', { ...SAMPLE_DATA['ticket-received'], responseDue: 'soon' });
    expect(mail.text).toContain('We will respond by soon.');
  });

  it('still names absent data inside a formatted value', () => {
    const { totalCents: _gone, ...data } = SAMPLE_DATA['order-confirmed'] ?? {};
    expect(() => renderMail('order-confirmed', 'en', data)).toThrow(/totalCents/);
  });
});
