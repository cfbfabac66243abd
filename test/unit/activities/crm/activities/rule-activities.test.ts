import { describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/activity';
import { bindActivities } from '../../../../../activities/activity-definition';
import type { ActivityDeps } from '../../../../../activities/deps';
import { crmRuleActivities } from '../../../../../activities/crm/rule-activities';
import { DEFAULT_SLA_POLICY } from '../../../../../activities/crm/rules/defaults';

// The rule activities are pure: they never touch their dependencies.
const PURE_RULES_USE_NO_DEPS = {} as ActivityDeps;

const activities = bindActivities(crmRuleActivities, PURE_RULES_USE_NO_DEPS);

/** The failure an activity rejected with, so its fields can be checked one by one. */
async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  const error: unknown = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

describe('CRM rule activities', () => {
  it('crm.classifyTicket finds a complaint in Chinese text with the default dictionary', async () => {
    await expect(
      activities['crm.classifyTicket']({ text: '你们的服务太差了，我要投诉，还要求退款！' }),
    ).resolves.toEqual({ category: 'complaint', matched: ['投诉', '退款', '太差'], queue: 'customer-relations' });
  });

  it('crm.prioritiseTicket makes a VIP complaint urgent with a red alert', async () => {
    await expect(activities['crm.prioritiseTicket']({ category: 'complaint', customerGrade: 'VIP' })).resolves.toEqual({
      priority: 'urgent',
      redAlert: true,
      routeTo: 'customer-relations-manager',
    });
  });

  it('a VIP complaint in Chinese: classified, then prioritised from the classification', async () => {
    const { category } = await activities['crm.classifyTicket']({ text: '设备故障，我要投诉' });
    expect(category).toBe('complaint');
    await expect(activities['crm.prioritiseTicket']({ category, customerGrade: 'VIP' })).resolves.toMatchObject({
      priority: 'urgent',
      redAlert: true,
    });
  });

  it('crm.ticketSla gives the deadlines of the default policy, in UTC', async () => {
    await expect(
      activities['crm.ticketSla']({ priority: 'urgent', openedAt: '2025-03-01T09:00:00+08:00' }),
    ).resolves.toEqual({
      responseDueAt: '2025-03-01T01:30:00.000Z',
      resolutionDueAt: '2025-03-01T05:00:00.000Z',
      remindBeforeMs: 10 * 60_000,
      responseWithin: 'PT30M',
      resolutionWithin: 'PT4H',
      remindResponseAfter: 'PT20M',
      remindResolutionAfter: 'PT3H50M',
    });
  });

  it('crm.priceQuote prices tiers and the customer discount in cents', async () => {
    const quote = await activities['crm.priceQuote']({
      lines: [
        { productId: 'erp', quantity: 10, listPriceCents: 10_000, tiers: [{ minQuantity: 10, unitPriceCents: 9_000 }] },
      ],
      customer: { discountRate: 0.05, purchasedVolume: 0 },
    });
    expect(quote).toEqual({
      lines: [
        {
          productId: 'erp',
          quantity: 10,
          listPriceCents: 10_000,
          unitPriceCents: 9_000,
          tierMinQuantity: 10,
          grossCents: 90_000,
          discountCents: 4_500,
          totalCents: 85_500,
        },
      ],
      listTotalCents: 100_000,
      discountCents: 4_500,
      totalCents: 85_500,
      effectiveDiscountPercent: 14.5,
      negotiatedDiscountPercent: 5,
    });
  });

  it('crm.approvalLevels at 25 % needs the manager, then finance and director in parallel', async () => {
    await expect(activities['crm.approvalLevels']({ discountPercent: 25, totalCents: 1_000_000 })).resolves.toEqual({
      required: true,
      levels: [
        {
          level: 1,
          name: 'sales manager',
          title: { en: 'sales manager', 'zh-CN': 'sales manager' },
          approvers: ['sales-manager'],
          mode: 'sequential',
          triggeredBy: ['discount'],
        },
        {
          level: 2,
          name: 'finance and director',
          title: { en: 'finance and director', 'zh-CN': 'finance and director' },
          approvers: ['finance', 'director'],
          mode: 'parallel',
          triggeredBy: ['discount'],
        },
      ],
    });
  });

  it('uses a policy given in the params instead of the default', async () => {
    const policy = { ...DEFAULT_SLA_POLICY, urgent: { response: 'PT15M', resolution: 'PT1H', remindBefore: 'PT5M' } };
    await expect(
      activities['crm.ticketSla']({ priority: 'urgent', openedAt: '2025-03-01T09:00:00Z', policy }),
    ).resolves.toMatchObject({
      responseDueAt: '2025-03-01T09:15:00.000Z',
      resolutionDueAt: '2025-03-01T10:00:00.000Z',
    });
    await expect(
      activities['crm.approvalLevels']({ discountPercent: 25, totalCents: 0, policy: { levels: [] } }),
    ).resolves.toEqual({ required: false, levels: [] });
  });

  it('turns bad input into a non-retryable ApplicationFailure typed by the rule code, with the issues', async () => {
    const failure = await failureOf(activities['crm.approvalLevels']({ discountPercent: 120, totalCents: -1 }));
    expect(failure.type).toBe('rule.invalid-input');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^approval request is invalid at /);
    expect(failure.details).toEqual([
      [expect.objectContaining({ path: '/discountPercent' }), expect.objectContaining({ path: '/totalCents' })],
    ]);
  });

  it('turns a bad policy from the template into rule.invalid-policy', async () => {
    const policy = { ...DEFAULT_SLA_POLICY, low: { response: 'P1M', resolution: 'P2M', remindBefore: 'PT4H' } };
    const failure = await failureOf(
      activities['crm.ticketSla']({ priority: 'low', openedAt: '2025-03-01T09:00:00Z', policy }),
    );
    expect(failure).toMatchObject({ type: 'rule.invalid-policy', nonRetryable: true });
    expect(failure.details).toEqual([[expect.objectContaining({ path: '/low/response' })]]);
  });

  it('does not pass the policy to the rule as input (no additional-property error)', async () => {
    const failure = await failureOf(
      activities['crm.priceQuote']({ lines: [], customer: { discountRate: 0, purchasedVolume: 0 } }),
    );
    expect(failure.type).toBe('rule.invalid-input');
    expect(failure.details).toEqual([[expect.objectContaining({ path: '/lines' })]]);
  });
});
