import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TICKET_PRIORITY_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';
import {
  ticketPriority,
  type TicketPriorityInput,
  type TicketPriorityPolicy,
} from '../../../../../activities/crm/rules/ticket-priority';

describe('ticketPriority', () => {
  it('raises a red alert for a VIP complaint and routes it to the customer-relations manager', () => {
    expect(ticketPriority({ category: 'complaint', customerGrade: 'VIP' }, POLICY)).toEqual({
      priority: 'urgent',
      redAlert: true,
      routeTo: 'customer-relations-manager',
    });
  });

  it('keeps the red alert urgent even when a hint says low', () => {
    expect(ticketPriority({ category: 'complaint', customerGrade: 'VIP', severityHint: 'low' }, POLICY).priority).toBe(
      'urgent',
    );
  });

  it('sends serious (high) complaints to the manager without a red alert', () => {
    expect(ticketPriority({ category: 'complaint', customerGrade: 'A' }, POLICY)).toEqual({
      priority: 'high',
      redAlert: false,
      routeTo: 'customer-relations-manager',
    });
  });

  it('leaves ordinary complaints with customer relations', () => {
    expect(ticketPriority({ category: 'complaint', customerGrade: 'C' }, POLICY)).toEqual({
      priority: 'normal',
      redAlert: false,
      routeTo: 'customer-relations',
    });
  });

  it.each([
    ['technical', 'VIP', 'high', 'technical-support'],
    ['technical', 'C', 'low', 'technical-support'],
    ['sales', 'A', 'normal', 'sales'],
    ['other', 'B', 'low', 'service-desk'],
  ] as const)('%s from a %s customer is %s for %s', (category, customerGrade, priority, routeTo) => {
    expect(ticketPriority({ category, customerGrade }, POLICY)).toEqual({ priority, redAlert: false, routeTo });
  });

  it('lets a hint raise the priority up to the ceiling only', () => {
    expect(ticketPriority({ category: 'technical', customerGrade: 'C', severityHint: 'normal' }, POLICY).priority).toBe(
      'normal',
    );
    expect(ticketPriority({ category: 'technical', customerGrade: 'C', severityHint: 'urgent' }, POLICY).priority).toBe(
      'high',
    );
  });

  it('never lowers the priority on a hint', () => {
    expect(ticketPriority({ category: 'technical', customerGrade: 'A', severityHint: 'low' }, POLICY).priority).toBe(
      'high',
    );
  });

  it('escalates a complaint raised to high by its hint', () => {
    expect(ticketPriority({ category: 'complaint', customerGrade: 'B', severityHint: 'high' }, POLICY).routeTo).toBe(
      'customer-relations-manager',
    );
  });

  it('follows a changed policy', () => {
    const changed: TicketPriorityPolicy = {
      ...POLICY,
      hintCeiling: 'urgent',
      redAlerts: [...POLICY.redAlerts, { category: 'technical', customerGrade: 'VIP' }],
      redAlertRouteTo: 'duty-manager',
    };
    expect(ticketPriority({ category: 'technical', customerGrade: 'VIP' }, changed)).toEqual({
      priority: 'urgent',
      redAlert: true,
      routeTo: 'duty-manager',
    });
    expect(
      ticketPriority({ category: 'technical', customerGrade: 'C', severityHint: 'urgent' }, changed).priority,
    ).toBe('urgent');
  });

  it('refuses an unknown grade', () => {
    const input = { category: 'complaint', customerGrade: 'D' } as unknown as TicketPriorityInput;
    expect(() => ticketPriority(input, POLICY)).toThrow(
      expect.objectContaining({
        code: 'rule.invalid-input',
        message: expect.stringContaining('/customerGrade'),
      }),
    );
  });

  it('refuses a matrix with a missing grade', () => {
    const broken = {
      ...POLICY,
      matrix: { ...POLICY.matrix, sales: { VIP: 'high', A: 'normal', B: 'normal' } },
    } as unknown as TicketPriorityPolicy;
    expect(() => ticketPriority({ category: 'technical', customerGrade: 'A' }, broken)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-policy' }),
    );
  });
});
