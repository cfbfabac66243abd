import { describe, expect, it } from '@jest/globals';
import { approvalLevels, type ApprovalPolicy } from '../../../../../activities/crm/rules/approval-levels';
import { DEFAULT_APPROVAL_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';

const MANAGER = {
  level: 1,
  name: 'sales manager',
  title: { en: 'sales manager', 'zh-CN': 'sales manager' },
  approvers: ['sales-manager'],
  mode: 'sequential',
};

describe('approvalLevels', () => {
  it('needs nobody for a small quote with a small discount', () => {
    expect(approvalLevels({ discountPercent: 5, totalCents: 1_000_000 }, POLICY)).toEqual({
      required: false,
      levels: [],
    });
  });

  it('needs nobody exactly at the thresholds (they are "above")', () => {
    expect(approvalLevels({ discountPercent: 10, totalCents: 5_000_000 }, POLICY).levels).toEqual([]);
  });

  it('needs the manager just above either manager threshold', () => {
    expect(approvalLevels({ discountPercent: 10.01, totalCents: 0 }, POLICY)).toEqual({
      required: true,
      levels: [{ ...MANAGER, triggeredBy: ['discount'] }],
    });
    expect(approvalLevels({ discountPercent: 0, totalCents: 5_000_001 }, POLICY).levels).toEqual([
      { ...MANAGER, triggeredBy: ['total'] },
    ]);
  });

  it('needs the manager, then finance and director in parallel, above 20 % or 200 000', () => {
    expect(approvalLevels({ discountPercent: 25, totalCents: 25_000_000 }, POLICY).levels).toEqual([
      { ...MANAGER, triggeredBy: ['discount', 'total'] },
      {
        level: 2,
        name: 'finance and director',
        title: { en: 'finance and director', 'zh-CN': 'finance and director' },
        approvers: ['finance', 'director'],
        mode: 'parallel',
        triggeredBy: ['discount', 'total'],
      },
    ]);
  });

  it('stays at the manager exactly at 20 % and 200 000', () => {
    expect(
      approvalLevels({ discountPercent: 20, totalCents: 20_000_000 }, POLICY).levels.map((level) => level.name),
    ).toEqual(['sales manager']);
  });

  it('follows a changed policy', () => {
    const changed: ApprovalPolicy = {
      levels: [
        { name: 'finance only', approvers: ['finance'], mode: 'sequential', totalAboveCents: 100_000 },
        { name: 'board', approvers: ['cfo', 'ceo'], mode: 'sequential', discountPercentAbove: 5 },
      ],
    };
    expect(approvalLevels({ discountPercent: 6, totalCents: 50_000 }, changed).levels).toEqual([
      {
        level: 1,
        name: 'board',
        title: { en: 'board', 'zh-CN': 'board' },
        approvers: ['cfo', 'ceo'],
        mode: 'sequential',
        triggeredBy: ['discount'],
      },
    ]);
    expect(approvalLevels({ discountPercent: 6, totalCents: 50_000 }, POLICY).required).toBe(false);
  });

  it('refuses a level without thresholds and duplicate names', () => {
    const noThreshold: ApprovalPolicy = { levels: [{ name: 'x', approvers: ['a'], mode: 'parallel' }] };
    expect(() => approvalLevels({ discountPercent: 1, totalCents: 1 }, noThreshold)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-policy' }),
    );
    const twice: ApprovalPolicy = { levels: [POLICY.levels[0]!, POLICY.levels[0]!] };
    expect(() => approvalLevels({ discountPercent: 1, totalCents: 1 }, twice)).toThrow(/appears twice/);
  });

  it('refuses a negative total and a discount above 100 %', () => {
    expect(() => approvalLevels({ discountPercent: 1, totalCents: -1 }, POLICY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input' }),
    );
    expect(() => approvalLevels({ discountPercent: 101, totalCents: 1 }, POLICY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input' }),
    );
  });
});
