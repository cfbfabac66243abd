import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SLA_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';
import { SlaDeadlines, slaDeadlines, type SlaPolicy } from '../../../../../activities/crm/rules/sla-deadlines';
import { Value } from 'typebox/value';
import { parseDuration } from '../../../../../dsl/duration';
import type { TicketPriorityLevel } from '../../../../../activities/crm/rules/ticket-priority';

const OPENED = '2025-03-01T09:00:00Z';

describe('slaDeadlines', () => {
  it.each([
    ['urgent', '2025-03-01T09:30:00.000Z', '2025-03-01T13:00:00.000Z', 600_000, 'PT30M', 'PT4H', 'PT20M', 'PT3H50M'],
    ['high', '2025-03-01T11:00:00.000Z', '2025-03-02T09:00:00.000Z', 1_800_000, 'PT2H', 'P1D', 'PT1H30M', 'PT23H30M'],
    ['normal', '2025-03-01T17:00:00.000Z', '2025-03-04T09:00:00.000Z', 3_600_000, 'PT8H', 'P3D', 'PT7H', 'P2DT23H'],
    ['low', '2025-03-02T09:00:00.000Z', '2025-03-08T09:00:00.000Z', 14_400_000, 'P1D', 'P7D', 'PT20H', 'P6DT20H'],
  ] as const)(
    '%s',
    (
      priority,
      responseDueAt,
      resolutionDueAt,
      remindBeforeMs,
      responseWithin,
      resolutionWithin,
      remindResponseAfter,
      remindResolutionAfter,
    ) => {
      const deadlines = slaDeadlines(priority, OPENED, POLICY);
      expect(deadlines).toEqual({
        responseDueAt,
        resolutionDueAt,
        remindBeforeMs,
        responseWithin,
        resolutionWithin,
        remindResponseAfter,
        remindResolutionAfter,
      });
      expect(Value.Check(SlaDeadlines, deadlines)).toBe(true);
    },
  );

  it('gives durations a task timing reads back as the deadlines (response reminder = deadline minus remindBefore)', () => {
    const deadlines = slaDeadlines('high', OPENED, POLICY);
    const ms = (text: string): number => {
      const parsed = parseDuration(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.ms;
    };
    const opened = Date.parse(OPENED);
    expect(opened + ms(deadlines.responseWithin)).toBe(Date.parse(deadlines.responseDueAt));
    expect(opened + ms(deadlines.resolutionWithin)).toBe(Date.parse(deadlines.resolutionDueAt));
    expect(opened + ms(deadlines.remindResponseAfter)).toBe(
      Date.parse(deadlines.responseDueAt) - deadlines.remindBeforeMs,
    );
    expect(opened + ms(deadlines.remindResolutionAfter)).toBe(
      Date.parse(deadlines.resolutionDueAt) - deadlines.remindBeforeMs,
    );
  });

  it('reads an offset and answers in UTC', () => {
    expect(slaDeadlines('urgent', '2025-03-01T09:00+08:00', POLICY).responseDueAt).toBe('2025-03-01T01:30:00.000Z');
  });

  it('follows a changed policy', () => {
    const changed: SlaPolicy = { ...POLICY, urgent: { response: 'PT15M', resolution: 'PT2H', remindBefore: 'PT5M' } };
    expect(slaDeadlines('urgent', OPENED, changed)).toEqual({
      responseDueAt: '2025-03-01T09:15:00.000Z',
      resolutionDueAt: '2025-03-01T11:00:00.000Z',
      remindBeforeMs: 300_000,
      responseWithin: 'PT15M',
      resolutionWithin: 'PT2H',
      remindResponseAfter: 'PT10M',
      remindResolutionAfter: 'PT1H55M',
    });
  });

  it.each([
    ['P1M', /years or months/],
    ['P1Y', /years or months/],
    ['4h', /not a duration/],
    ['PT0S', /zero/],
  ])('refuses a %s resolution in any row', (resolution, message) => {
    const broken: SlaPolicy = { ...POLICY, low: { ...POLICY.low, resolution } };
    expect(() => slaDeadlines('urgent', OPENED, broken)).toThrow(
      expect.objectContaining({
        code: 'rule.invalid-policy',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('refuses a resolution shorter than the response', () => {
    const broken: SlaPolicy = { ...POLICY, high: { response: 'PT4H', resolution: 'PT2H', remindBefore: 'PT1H' } };
    expect(() => slaDeadlines('high', OPENED, broken)).toThrow(/\/high\/resolution/);
  });

  it('writes fractional policy terms canonically', () => {
    const odd: SlaPolicy = { ...POLICY, high: { response: 'PT1.5H', resolution: 'P1DT90M', remindBefore: 'PT0.5H' } };
    expect(slaDeadlines('high', OPENED, odd)).toMatchObject({
      responseWithin: 'PT1H30M',
      resolutionWithin: 'P1DT1H30M',
      remindResponseAfter: 'PT1H',
      remindResolutionAfter: 'P1DT1H',
    });
  });

  it('accepts a resolution equal to the response', () => {
    const same: SlaPolicy = { ...POLICY, high: { response: 'PT4H', resolution: 'PT4H', remindBefore: 'PT1H' } };
    expect(slaDeadlines('high', OPENED, same).resolutionDueAt).toBe('2025-03-01T13:00:00.000Z');
  });

  it('refuses a reminder as long as the response time', () => {
    const broken: SlaPolicy = { ...POLICY, urgent: { ...POLICY.urgent, remindBefore: 'PT30M' } };
    expect(() => slaDeadlines('urgent', OPENED, broken)).toThrow(/\/urgent\/remindBefore/);
  });

  it.each([['2025-03-01T09:00:00'], ['2025-03-01'], ['2025-02-30T09:00:00Z'], ['2025-03-01T24:00:00Z'], ['yesterday']])(
    'refuses openedAt %s',
    (openedAt) => {
      expect(() => slaDeadlines('high', openedAt, POLICY)).toThrow(
        expect.objectContaining({ code: 'rule.invalid-input' }),
      );
    },
  );

  it('refuses an unknown priority', () => {
    expect(() => slaDeadlines('critical' as TicketPriorityLevel, OPENED, POLICY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input' }),
    );
  });
});
