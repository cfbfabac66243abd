import { describe, expect, it } from '@jest/globals';
import { PrincipalCache } from '../../../../api/services/principal-cache';
import type { Principal } from '../../../../api/principal';
import { parseCredentialChange } from '../../../../db/auth/credential-changes';

function principal(userId: string, keyId = `K-${userId}`): Principal {
  return {
    kind: 'system',
    keyId,
    scopes: { read: '*' },
    userId,
    name: userId,
    email: `${userId}@crm.example`,
    roles: ['sales-rep'],
    attributes: { region: 'EU', productLines: ['software'] },
    managerId: null,
  } as Principal;
}

function listeningCache(now = { at: 1_000_000 }) {
  const cache = new PrincipalCache({ ttlMs: 60_000, maxEntries: 3, now: () => now.at });
  cache.setListening(true);
  return { cache, now };
}

describe('PrincipalCache', () => {
  it('keeps nothing and serves nothing until changes are heard, and forgets everything when they stop', () => {
    const cache = new PrincipalCache();
    cache.set('key:a', principal('u-a'), { userId: 'u-a', keyId: 'K-a', expiresAt: null }, cache.epoch);
    expect(cache.get('key:a')).toBeUndefined();
    cache.setListening(true);
    cache.set('key:a', principal('u-a'), { userId: 'u-a', keyId: 'K-a', expiresAt: null }, cache.epoch);
    expect(cache.get('key:a')?.userId).toBe('u-a');
    cache.setListening(false);
    expect(cache.get('key:a')).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('key:a')).toBeUndefined();
  });

  it('refuses what was read before a change (the read may hold the state before it)', () => {
    const { cache } = listeningCache();
    const before = cache.epoch;
    cache.apply({ kind: 'user', id: 'u-someone-else' });
    cache.set('key:a', principal('u-a'), { userId: 'u-a', keyId: 'K-a', expiresAt: null }, before);
    expect(cache.get('key:a')).toBeUndefined();
    cache.set('key:a', principal('u-a'), { userId: 'u-a', keyId: 'K-a', expiresAt: null }, cache.epoch);
    expect(cache.get('key:a')).toBeDefined();
  });

  it('reads through: keeps what it loaded, unless a change was heard during the read; never a refusal', async () => {
    const { cache } = listeningCache();
    let reads = 0;
    const load = (during?: () => void) => async () => {
      reads++;
      during?.();
      return { principal: principal('u-a'), source: { userId: 'u-a', keyId: 'K-a', expiresAt: null } };
    };
    await cache.through(
      'key:a',
      load(() => cache.apply({ kind: 'user', id: 'u-a' })),
    );
    await cache.through('key:a', load());
    await cache.through('key:a', load());
    expect(reads).toBe(2);
    expect(await cache.through('key:none', async () => null)).toBeNull();
    expect(cache.get('key:none')).toBeUndefined();
  });

  it('forgets exactly the entries of the user, key or session a change names', () => {
    const { cache } = listeningCache();
    cache.set('key:a', principal('u-a', 'K-a'), { userId: 'u-a', keyId: 'K-a', expiresAt: null }, cache.epoch);
    cache.set('session:s1:u-a', principal('u-a'), { userId: 'u-a', sessionId: 's1', expiresAt: null }, cache.epoch);
    cache.set('key:b', principal('u-b', 'K-b'), { userId: 'u-b', keyId: 'K-b', expiresAt: null }, cache.epoch);
    cache.apply({ kind: 'session', id: 's1' });
    expect([cache.get('key:a'), cache.get('session:s1:u-a'), cache.get('key:b')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    cache.apply({ kind: 'key', id: 'K-b' });
    expect(cache.get('key:b')).toBeUndefined();
    cache.set('session:s2:u-a', principal('u-a'), { userId: 'u-a', sessionId: 's2', expiresAt: null }, cache.epoch);
    cache.apply({ kind: 'user', id: 'u-a' });
    expect(cache.size).toBe(0);
    cache.set('key:b', principal('u-b', 'K-b'), { userId: 'u-b', keyId: 'K-b', expiresAt: null }, cache.epoch);
    cache.apply({ kind: 'all' });
    expect(cache.size).toBe(0);
  });

  it("ends an entry at its credential's expiry or after the TTL, whichever is first", () => {
    const { cache, now } = listeningCache();
    const start = now.at;
    cache.set('key:a', principal('u-a'), { userId: 'u-a', expiresAt: new Date(start + 5_000) }, cache.epoch);
    cache.set('key:b', principal('u-b'), { userId: 'u-b', expiresAt: null }, cache.epoch);
    cache.set('key:c', principal('u-c'), { userId: 'u-c', expiresAt: new Date(start - 1) }, cache.epoch);
    expect(cache.get('key:c')).toBeUndefined();
    now.at = start + 4_999;
    expect(cache.get('key:a')).toBeDefined();
    now.at = start + 5_000;
    expect(cache.get('key:a')).toBeUndefined();
    expect(cache.get('key:b')).toBeDefined();
    now.at = start + 60_000;
    expect(cache.get('key:b')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const { cache } = listeningCache();
    for (const id of ['a', 'b', 'c', 'd']) {
      cache.set(`key:${id}`, principal(`u-${id}`), { userId: `u-${id}`, expiresAt: null }, cache.epoch);
    }
    expect(cache.size).toBe(3);
    expect(cache.get('key:a')).toBeUndefined();
    expect(cache.get('key:d')).toBeDefined();
  });

  it('hands out principals no request can change for the next one', () => {
    const { cache } = listeningCache();
    cache.set('key:a', principal('u-a'), { userId: 'u-a', expiresAt: null }, cache.epoch);
    const served = cache.get('key:a')!;
    expect(() => (served.roles as string[]).push('admin')).toThrow(TypeError);
    expect(() => {
      (served.attributes['productLines'] as string[])[0] = 'everything';
    }).toThrow(TypeError);
    expect(cache.get('key:a')!.roles).toEqual(['sales-rep']);
  });
});

describe('parseCredentialChange', () => {
  it("reads the trigger's payloads and takes anything else as a change of anything", () => {
    expect(parseCredentialChange('user:u-a')).toEqual({ kind: 'user', id: 'u-a' });
    expect(parseCredentialChange('key:K-1:x')).toEqual({ kind: 'key', id: 'K-1:x' });
    expect(parseCredentialChange('session:s-1')).toEqual({ kind: 'session', id: 's-1' });
    expect(parseCredentialChange('')).toEqual({ kind: 'all' });
    expect(parseCredentialChange(undefined)).toEqual({ kind: 'all' });
    expect(parseCredentialChange('team:t-1')).toEqual({ kind: 'all' });
  });

  describe('teams', () => {
    const reader = (ids: string[], during?: () => void) => {
      const calls = { reads: 0 };
      const read = async () => {
        calls.reads++;
        during?.();
        return [...ids];
      };
      return { calls, read };
    };

    it('reads a team every time until changes are heard, then once until any user changes', async () => {
      const cache = new PrincipalCache({ ttlMs: 60_000 });
      const { calls, read } = reader(['u-mgr', 'u-rep']);
      expect(await cache.team('u-mgr', 'east', read)).toEqual(['u-mgr', 'u-rep']);
      expect(await cache.team('u-mgr', 'east', read)).toEqual(['u-mgr', 'u-rep']);
      expect(calls.reads).toBe(2);
      cache.setListening(true);
      await cache.team('u-mgr', 'east', read);
      await cache.team('u-mgr', 'east', read);
      expect(calls.reads).toBe(3);
      // Someone else's row: they may have joined or left this team (manager, region, a new user).
      cache.apply({ kind: 'user', id: 'u-someone-else' });
      await cache.team('u-mgr', 'east', read);
      expect(calls.reads).toBe(4);
      // A key or a session says nothing about teams.
      cache.apply({ kind: 'key', id: 'K-1' });
      cache.apply({ kind: 'session', id: 'S-1' });
      await cache.team('u-mgr', 'east', read);
      expect(calls.reads).toBe(4);
      cache.apply({ kind: 'all' });
      await cache.team('u-mgr', 'east', read);
      expect(calls.reads).toBe(5);
      cache.setListening(false);
      cache.setListening(true);
      await cache.team('u-mgr', 'east', read);
      expect(calls.reads).toBe(6);
    });

    it('keeps a team per manager and region, not what was read while a change was heard, not past the TTL', async () => {
      const { cache, now } = listeningCache();
      const east = reader(['u-mgr', 'u-east']);
      const none = reader(['u-mgr']);
      await cache.team('u-mgr', 'east', east.read);
      await cache.team('u-mgr', null, none.read);
      await cache.team('u-mgr', 'east', east.read);
      await cache.team('u-mgr', null, none.read);
      expect([east.calls.reads, none.calls.reads]).toEqual([1, 1]);

      cache.apply({ kind: 'all' });
      const racing = reader(['u-mgr', 'u-east'], () => cache.apply({ kind: 'user', id: 'u-new' }));
      await cache.team('u-mgr', 'east', racing.read);
      await cache.team('u-mgr', 'east', east.read);
      expect(east.calls.reads).toBe(2);

      now.at += 60_001;
      await cache.team('u-mgr', 'east', east.read);
      expect(east.calls.reads).toBe(3);
    });

    it('gives each caller its own array', async () => {
      const { cache } = listeningCache();
      const { read } = reader(['u-mgr', 'u-rep']);
      await cache.team('u-mgr', 'east', read);
      const first = await cache.team('u-mgr', 'east', read);
      first.push('u-intruder');
      expect(await cache.team('u-mgr', 'east', read)).toEqual(['u-mgr', 'u-rep']);
    });
  });
});
