import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LEAD_ASSIGNMENT_POLICY as POLICY } from '../../../../../activities/crm/rules/defaults';
import { chooseLeadOwner, type SalesRep } from '../../../../../activities/crm/rules/lead-assignment';

const LEAD = { region: 'East', productInterest: 'ERP' };

function rep(id: string, changes: Partial<SalesRep> = {}): SalesRep {
  return {
    id,
    region: 'East',
    productLines: ['ERP', 'CRM'],
    openLeads: 3,
    capacity: 10,
    active: true,
    roles: ['sales-rep'],
    ...changes,
  };
}

describe('chooseLeadOwner', () => {
  it('picks the matching rep with the fewest open leads', () => {
    const result = chooseLeadOwner(
      LEAD,
      [rep('r1', { openLeads: 5 }), rep('r2', { openLeads: 2 }), rep('r3', { openLeads: 4 })],
      POLICY,
    );
    expect(result).toMatchObject({ outcome: 'assigned', repId: 'r2' });
  });

  it('skips reps of another region or without the product', () => {
    const reps = [
      rep('west', { region: 'West', openLeads: 0 }),
      rep('crm-only', { productLines: ['CRM'], openLeads: 0 }),
      rep('fit', { openLeads: 6 }),
    ];
    expect(chooseLeadOwner(LEAD, reps, POLICY)).toMatchObject({ repId: 'fit' });
  });

  it('skips inactive, full and ineligible reps', () => {
    const reps = [
      rep('away', { active: false, openLeads: 0 }),
      rep('full', { openLeads: 10, capacity: 10 }),
      rep('on-leave', { openLeads: 0, capacity: 0 }),
      rep('support', { roles: ['support-agent'], openLeads: 0 }),
      rep('fit', { openLeads: 9, capacity: 10 }),
    ];
    expect(chooseLeadOwner(LEAD, reps, POLICY)).toMatchObject({ repId: 'fit' });
  });

  it('breaks a workload tie by lower utilisation', () => {
    const reps = [rep('small', { openLeads: 4, capacity: 5 }), rep('large', { openLeads: 4, capacity: 20 })];
    expect(chooseLeadOwner(LEAD, reps, POLICY)).toMatchObject({ repId: 'large' });
  });

  it('breaks a full tie by id, whatever the input order', () => {
    expect(chooseLeadOwner(LEAD, [rep('r9'), rep('r10'), rep('r2')], POLICY)).toMatchObject({ repId: 'r10' });
    expect(chooseLeadOwner(LEAD, [rep('r2'), rep('r10'), rep('r9')], POLICY)).toMatchObject({ repId: 'r10' });
  });

  it('compares region and product case-insensitively and trimmed', () => {
    expect(chooseLeadOwner({ region: ' east ', productInterest: 'erp' }, [rep('r1')], POLICY)).toMatchObject({
      repId: 'r1',
    });
  });

  it('explains the choice', () => {
    expect(chooseLeadOwner(LEAD, [rep('r1')], POLICY)).toEqual({
      outcome: 'assigned',
      repId: 'r1',
      reason: "region 'East', covers 'ERP', 3 of 10 open leads",
    });
  });

  it.each([
    ['nobody at all', [], "no rep in region 'East'"],
    ['nobody in the region', [rep('w', { region: 'West' })], "no rep in region 'East'"],
    [
      'everybody in the region full',
      [rep('a', { openLeads: 10 }), rep('b', { active: false })],
      "all 2 reps in region 'East' are inactive, full or not eligible",
    ],
    [
      'nobody covering the product',
      [rep('c', { productLines: ['CRM'] })],
      "no available rep in region 'East' covers 'ERP'",
    ],
  ])('falls back to the manager queue with %s', (_case, reps, reason) => {
    expect(chooseLeadOwner(LEAD, reps, POLICY)).toEqual({
      outcome: 'fallback',
      fallback: 'manager-queue',
      managerRole: 'sales-manager',
      reason,
    });
  });

  it('follows a changed policy: region-only reps, other roles, other manager', () => {
    const reps = [rep('crm-only', { productLines: ['CRM'], roles: ['key-account'] })];
    expect(chooseLeadOwner(LEAD, reps, POLICY)).toMatchObject({ outcome: 'fallback', managerRole: 'sales-manager' });
    expect(
      chooseLeadOwner(LEAD, reps, {
        eligibleRoles: ['key-account'],
        requireProductLine: false,
        managerRole: 'regional-director',
      }),
    ).toMatchObject({ outcome: 'assigned', repId: 'crm-only' });
    expect(
      chooseLeadOwner(LEAD, reps, {
        eligibleRoles: ['key-account'],
        requireProductLine: true,
        managerRole: 'regional-director',
      }),
    ).toMatchObject({ outcome: 'fallback', managerRole: 'regional-director' });
  });

  it('prefers a product match over a less loaded region-only rep when the product is optional', () => {
    const reps = [rep('idle', { productLines: ['CRM'], openLeads: 0 }), rep('busy', { openLeads: 8 })];
    expect(chooseLeadOwner(LEAD, reps, { ...POLICY, requireProductLine: false })).toMatchObject({ repId: 'busy' });
  });

  it('refuses duplicate rep ids and negative workloads', () => {
    expect(() => chooseLeadOwner(LEAD, [rep('r1'), rep('r1')], POLICY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input', message: expect.stringContaining('/1/id') }),
    );
    expect(() => chooseLeadOwner(LEAD, [rep('r1', { openLeads: -1 })], POLICY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input' }),
    );
  });

  it('refuses a policy without eligible roles', () => {
    expect(() => chooseLeadOwner(LEAD, [rep('r1')], { ...POLICY, eligibleRoles: [] })).toThrow(
      expect.objectContaining({ code: 'rule.invalid-policy' }),
    );
  });
});
