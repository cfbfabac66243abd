import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyRepository, keyedHash } from '../../../../db/auth';
import { IdempotencyKeyRepository, UserRepository } from '../../../../db/repositories';
import { DEMO_USERS, seedEngineUsers } from '../../../../db/seed/engine-users';
import {
  countRows,
  insertUser,
  newUser,
  openEngineTestKit,
  unique,
  type EngineTestKit,
} from '../../../support/engine-test-kit';
import { TEST_AUTH_SECRET } from '../../../support/test-auth';

describe('UserRepository and the demo users', () => {
  let kit: EngineTestKit;
  const users = new UserRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  it('seeds the demo users once, however often (and concurrently) it runs', async () => {
    const runs = await Promise.all([
      seedEngineUsers(kit.em(), TEST_AUTH_SECRET),
      seedEngineUsers(kit.em(), TEST_AUTH_SECRET),
    ]);
    const again = await seedEngineUsers(kit.em(), TEST_AUTH_SECRET);
    const demoIds = DEMO_USERS.map((u) => u.id);

    // On a fresh database the first runs create all of them; on any database none is created twice.
    const created = runs.flatMap((r) => r.created);
    expect(new Set(created).size).toBe(created.length);
    expect(created.every((id) => demoIds.includes(id))).toBe(true);
    expect(again.created).toEqual([]);
    expect(await countRows(kit.em(), 'engine_user where id in (?)', [demoIds])).toBe(DEMO_USERS.length);
    expect(await users.get(kit.em(), 'u-sales-rep')).toMatchObject({
      roles: ['sales-rep'],
      managerId: 'u-sales-manager',
      active: true,
    });
  });

  it('finds the active user holding an API key, by its keyed hash only', async () => {
    await seedEngineUsers(kit.em(), TEST_AUTH_SECRET);
    const keys = new ApiKeyRepository();
    const find = (secret: string) => keys.findUsable(kit.em(), keyedHash(TEST_AUTH_SECRET, 'api-key', secret));
    expect((await find('demo-admin-key'))?.user).toMatchObject({ id: 'u-admin', roles: ['admin', 'designer'] });
    for (const demo of DEMO_USERS) expect((await find(demo.apiKey))?.user.id).toBe(demo.id);
    expect(await find('demo-admin-key ')).toBeNull();
    expect(await find('')).toBeNull();

    const retired = newUser('retired', { apiKey: unique('key'), active: false });
    await insertUser(kit.em(), retired);
    expect(await find(retired.apiKey!)).toBeNull();
  });

  it('lists the active holders of a role whose attributes match', async () => {
    const role = unique('rep');
    const eu = newUser('eu', { roles: [role, 'other'], attributes: { region: 'EU', productLines: ['cloud', 'crm'] } });
    const us = newUser('us', { roles: [role], attributes: { region: 'US', productLines: ['crm'] } });
    const off = newUser('off', { roles: [role], attributes: { region: 'EU' }, active: false });
    for (const user of [eu, us, off]) await insertUser(kit.em(), user);
    const ids = async (where?: Parameters<UserRepository['listByRole']>[2]) =>
      (await users.listByRole(kit.em(), role, where)).map((u) => u.id).sort();

    expect(await ids()).toEqual([eu.id, us.id].sort());
    expect(await ids({ region: 'EU' })).toEqual([eu.id]);
    expect(await ids({ productLines: 'crm' })).toEqual([eu.id, us.id].sort());
    expect(await ids({ productLines: ['cloud', 'erp'] })).toEqual([eu.id]);
    expect(await ids({ region: ['US', 'APAC'] })).toEqual([us.id]);
    expect(await ids({ region: 'EU', productLines: 'crm' })).toEqual([eu.id]);
    expect(await ids({ skills: 'german' })).toEqual([]);
    expect(await users.findByIds(kit.em(), [us.id, 'u-nobody', eu.id])).toHaveLength(2);
  });
});

describe('IdempotencyKeyRepository', () => {
  let kit: EngineTestKit;
  const keys = new IdempotencyKeyRepository();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  it('stores a key once per caller; concurrent requests see one winner', async () => {
    const key = unique('key');
    const inserted = await Promise.all(
      ['a', 'b', 'c'].map((n) => keys.insert(kit.em(), 'u-system', key, `hash-${n}`, `instance-${n}`)),
    );
    expect(inserted.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c'][inserted.indexOf(true)];
    expect(await keys.find(kit.em(), 'u-system', key)).toEqual({
      requestHash: `hash-${winner}`,
      instanceId: `instance-${winner}`,
    });
    expect(await keys.insert(kit.em(), 'u-other', key, 'h', 'i')).toBe(true);
    expect(await keys.find(kit.em(), 'u-nobody', key)).toBeNull();
  });
});
