import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LeadAssignmentPolicy } from '../../../../../activities/crm/rules/lead-assignment';
import { insertLead, insertUser, openSalesFixture, uid, type SalesFixture } from './sales-fixtures';

/** Lead assignment, contact, qualification and disqualification on the real database. */
describe('CRM lead activities', () => {
  let f: SalesFixture;
  beforeAll(async () => {
    f = await openSalesFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  /** A region of its own, with a manager role of its own, so other tests' reps never compete. */
  async function region() {
    const name = uid('region');
    const policy: LeadAssignmentPolicy = {
      eligibleRoles: ['sales-rep'],
      requireProductLine: true,
      managerRole: uid('mgr-role'),
    };
    const manager = await insertUser(f, [policy.managerRole], { region: name });
    return { name, policy, manager };
  }

  it('gives a lead to the rep of its region and product with the fewest open leads, once under retry', async () => {
    const { name, policy } = await region();
    const busy = await insertUser(f, ['sales-rep'], { region: name, productLines: ['ERP'], capacity: 10 });
    const free = await insertUser(f, ['sales-rep'], {
      region: name,
      productLines: ['erp'],
      capacity: 10,
      locale: 'zh-CN',
    });
    await insertUser(f, ['sales-rep'], { region: name, productLines: ['CRM'], capacity: 10 });
    await insertUser(f, ['sales-rep'], { region: name, productLines: ['ERP'], capacity: 10 }, { active: false });
    await insertLead(f, { region: name, product_interest: 'ERP', owner_id: busy });
    const leadId = await insertLead(f, { region: name, product_interest: 'ERP', email: 'buyer@acme.test' });

    const first = await f.run('crm.assignLead', { leadId, policy });
    expect(first).toMatchObject({
      outcome: 'assigned',
      queueRole: null,
      owner: { id: free, locale: 'zh-CN' },
      lead: { id: leadId, email: 'buyer@acme.test', region: name, productInterest: 'ERP', status: 'new' },
    });
    // The lead now counts against `free` (1 open, like `busy`); a retry must still answer `free`.
    const retry = await f.run('crm.assignLead', { leadId, policy });
    expect(retry).toMatchObject({ outcome: 'assigned', owner: { id: free } });
    expect(await f.sql('select owner_id from leads where id = ?', [leadId])).toEqual([{ owner_id: free }]);
  });

  it("puts a lead nobody covers in the region manager's queue, leaving it unowned", async () => {
    const { name, policy, manager } = await region();
    await insertUser(f, [policy.managerRole], { region: uid('elsewhere') }, { id: `a-${uid('m')}` });
    await insertUser(f, ['sales-rep'], { region: name, productLines: ['CRM'], capacity: 10 });
    const leadId = await insertLead(f, { region: name, product_interest: 'ERP' });
    const noRegion = await insertLead(f, { region: null, product_interest: 'ERP' });

    const result = await f.run('crm.assignLead', { leadId, policy });
    expect(result).toMatchObject({
      outcome: 'fallback',
      owner: { id: manager, locale: 'en' },
      queueRole: policy.managerRole,
    });
    expect(result.reason).toMatch(/covers 'ERP'/);
    expect(await f.sql('select owner_id from leads where id = ?', [leadId])).toEqual([{ owner_id: null }]);
    expect(await f.run('crm.assignLead', { leadId: noRegion, policy })).toMatchObject({
      outcome: 'fallback',
      reason: 'lead has no region',
    });
  });

  it('refuses an unknown lead, and a lead with neither rep nor manager, without retrying', async () => {
    const { name } = await region();
    await expect(f.run('crm.assignLead', { leadId: uid('nope') })).rejects.toMatchObject({
      type: 'lead.unknown',
      nonRetryable: true,
    });
    const leadId = await insertLead(f, { region: name, product_interest: 'ERP' });
    const policy = { eligibleRoles: [uid('nobody')], requireProductLine: true, managerRole: uid('nobody') };
    await expect(f.run('crm.assignLead', { leadId, policy })).rejects.toMatchObject({
      type: 'lead.no-owner',
      nonRetryable: true,
    });
  });

  it('reassigns to the next best rep, and a retry keeps the new owner', async () => {
    const { name, policy, manager } = await region();
    const first = await insertUser(f, ['sales-rep'], { region: name, productLines: ['ERP'], capacity: 10 });
    const second = await insertUser(f, ['sales-rep'], { region: name, productLines: ['ERP'], capacity: 10 });
    const leadId = await insertLead(f, { region: name, product_interest: 'ERP', owner_id: first });

    const moved = await f.run('crm.reassignLead', { leadId, fromOwnerId: first, policy });
    expect(moved).toMatchObject({ outcome: 'assigned', owner: { id: second } });
    expect(await f.run('crm.reassignLead', { leadId, fromOwnerId: first, policy })).toMatchObject({
      outcome: 'assigned',
      owner: { id: second },
    });
    // With the first rep on leave (capacity 0), nobody is left but the manager.
    await f.sql(`update engine_user set attributes = attributes || '{"capacity": 0}'::jsonb where id = ?`, [first]);
    expect(await f.run('crm.reassignLead', { leadId, fromOwnerId: second, policy })).toMatchObject({
      outcome: 'fallback',
      owner: { id: manager },
    });
    expect(await f.sql('select owner_id from leads where id = ?', [leadId])).toEqual([{ owner_id: null }]);
  });

  it('records a contact once per key', async () => {
    const leadId = await insertLead(f, {});
    const params = { leadId, actorId: 'u-rep', note: 'Called, wants a demo', noteKey: uid('task') };
    expect(await f.run('crm.recordLeadContact', params)).toEqual({ leadId, status: 'contacted' });
    expect(await f.run('crm.recordLeadContact', params)).toEqual({ leadId, status: 'contacted' });
    const [row] = await f.sql<{ notes: { text: string; key: string; by: string }[] }>(
      'select notes from leads where id = ?',
      [leadId],
    );
    expect(row!.notes).toEqual([
      expect.objectContaining({ text: 'Called, wants a demo', key: params.noteKey, by: 'u-rep' }),
    ]);
  });

  it('qualifies a lead into customer, contact and opportunity once under retry', async () => {
    const owner = await insertUser(f, ['sales-rep'], { region: 'East' });
    const leadId = await insertLead(f, {
      company: '上海示例贸易有限公司',
      contact_name: '王芳',
      email: 'wang@example.cn',
      region: 'East',
      owner_id: owner,
      estimated_value_cents: 1_200_000,
    });
    const params = { leadId, actorId: owner, stage: 'proposal' as const };
    const first = await f.run('crm.qualifyLead', params);
    const retry = await f.run('crm.qualifyLead', params);
    expect(retry).toEqual(first);

    expect(
      await f.sql('select name, grade, locale, owner_id, region from customers where id = ?', [first.customerId]),
    ).toEqual([{ name: '上海示例贸易有限公司', grade: 'C', locale: 'zh-CN', owner_id: owner, region: 'East' }]);
    expect(
      await f.sql('select id, name, email, is_primary from contacts where customer_id = ?', [first.customerId]),
    ).toEqual([{ id: first.contactId, name: '王芳', email: 'wang@example.cn', is_primary: true }]);
    const opportunities = await f.sql<{ id: string; stage: string; probability: number; amount_cents: string }>(
      'select id, stage, probability, amount_cents from opportunities where lead_id = ?',
      [leadId],
    );
    expect(opportunities.map((o) => ({ ...o, amount_cents: Number(o.amount_cents) }))).toEqual([
      { id: first.opportunityId, stage: 'proposal', probability: 50, amount_cents: 1_200_000 },
    ]);
    expect(await f.sql('select status, customer_id from leads where id = ?', [leadId])).toEqual([
      { status: 'qualified', customer_id: first.customerId },
    ]);
    await expect(f.run('crm.disqualifyLead', { leadId, actorId: owner, reason: 'late' })).rejects.toMatchObject({
      type: 'lead.invalid-transition',
    });
  });

  it('disqualifies a lead with its reason, once', async () => {
    const leadId = await insertLead(f, {});
    expect(await f.run('crm.disqualifyLead', { leadId, actorId: 'u-rep', reason: 'No budget' })).toEqual({
      leadId,
      status: 'disqualified',
    });
    expect(await f.run('crm.disqualifyLead', { leadId, actorId: 'u-rep', reason: 'No budget' })).toEqual({
      leadId,
      status: 'disqualified',
    });
    const [row] = await f.sql<{ notes: { text: string }[] }>('select notes from leads where id = ?', [leadId]);
    expect(row!.notes.map((n) => n.text)).toEqual(['No budget']);
  });
});
