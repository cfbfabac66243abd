import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SLA_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';
import { slaDeadlines, type SlaPolicy } from '../../../../../activities/crm/rules/sla-deadlines';
import type { TicketPriorityLevel } from '../../../../../activities/crm/rules/ticket-priority';

const OPENED = '2025-03-01T09:00:00Z';

describe('slaDeadlines', () => {
  it.each([
    ['urgent', '2025-03-01T09:30:00.000Z', '2025-03-01T13:00:00.000Z', 600_000],
    ['high', '2025-03-01T11:00:00.000Z', '2025-03-02T09:00:00.000Z', 1_800_000],
    ['normal', '2025-03-01T17:00:00.000Z', '2025-03-04T09:00:00.000Z', 3_600_000],
    ['low', '2025-03-02T09:00:00.000Z', '2025-03-08T09:00:00.000Z', 14_400_000],
  ] as const)('%s', (priority, responseDueAt, resolutionDueAt, remindBeforeMs) => {
    expect(slaDeadlines(priority, OPENED, POLICY)).toEqual({ responseDueAt, resolutionDueAt, remindBeforeMs });
  });

  it('reads an offset and answers in UTC', () => {
    expect(slaDeadlines('urgent', '2025-03-01T09:00+08:00', POLICY).responseDueAt).toBe('2025-03-01T01:30:00.000Z');
  });

  it('follows a changed policy', () => {
    const changed: SlaPolicy = { ...POLICY, urgent: { response: 'PT15M', resolution: 'PT2H', remindBefore: 'PT5M' } };
    expect(slaDeadlines('urgent', OPENED, changed)).toEqual({
      responseDueAt: '2025-03-01T09:15:00.000Z', resolutionDueAt: '2025-03-01T11:00:00.000Z', remindBeforeMs: 300_000,
    });
  });

  it.each([
    ['P1M', /years or months/],
    ['P1Y', /years or months/],
    ['4h', /not a duration/],
    ['PT0S', /zero/],
  ])('refuses a %s resolution in any row', (resolution, message) => {
    const broken: SlaPolicy = { ...POLICY, low: { ...POLICY.low, resolution } };
    expect(() => slaDeadlines('urgent', OPENED, broken)).toThrow(expect.objectContaining({
      code: 'rule.invalid-policy', message: expect.stringMatching(message),
    }));
  });

  it('refuses a resolution shorter than the response', () => {
    const broken: SlaPolicy = { ...POLICY, high: { response: 'PT4H', resolution: 'PT2H', remindBefore: 'PT1H' } };
    expect(() => slaDeadlines('high', OPENED, broken)).toThrow(/\/high\/resolution/);
  });

  it('accepts a resolution equal to the response', () => {
    const same: SlaPolicy = { ...POLICY, high: { response: 'PT4H', resolution: 'PT4H', remindBefore: 'PT1H' } };
    expect(slaDeadlines('high', OPENED, same).resolutionDueAt).toBe('2025-03-01T13:00:00.000Z');
  });

  it('refuses a reminder as long as the response time', () => {
    const broken: SlaPolicy = { ...POLICY, urgent: { ...POLICY.urgent, remindBefore: 'PT30M' } };
    expect(() => slaDeadlines('urgent', OPENED, broken)).toThrow(/\/urgent\/remindBefore/);
  });

  it.each([
    ['2025-03-01T09:00:00'],
    ['2025-03-01'],
    ['2025-02-30T09:00:00Z'],
    ['2025-03-01T24:00:00Z'],
    ['yesterday'],
  ])('refuses openedAt %s', (openedAt) => {
    expect(() => slaDeadlines('high', openedAt, POLICY)).toThrow(expect.objectContaining({ code: 'rule.invalid-input' }));
  });

  it('refuses an unknown priority', () => {
    expect(() => slaDeadlines('critical' as TicketPriorityLevel, OPENED, POLICY)).toThrow(expect.objectContaining({ code: 'rule.invalid-input' }));
  });
});
