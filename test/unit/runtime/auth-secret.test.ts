import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveAuthSecret } from '../../../runtime/auth-secret';

describe('resolveAuthSecret', () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'auth-secret-'));

  it('takes AUTH_SECRET as given', async () => {
    expect(await resolveAuthSecret({ authSecret: 'x'.repeat(40), dataDir: dataDir() })).toBe('x'.repeat(40));
  });

  it('generates one secret into DATA_DIR/auth-secret (mode 0600) and keeps it across starts', async () => {
    const dir = path.join(dataDir(), 'nested');
    const first = await resolveAuthSecret({ authSecret: undefined, dataDir: dir });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(await resolveAuthSecret({ authSecret: undefined, dataDir: dir })).toBe(first);
    // Starts racing on one DATA_DIR keep one secret, and none reads it half-written.
    const race = path.join(dir, 'race');
    const secrets = await Promise.all(
      Array.from({ length: 8 }, () => resolveAuthSecret({ authSecret: undefined, dataDir: race })),
    );
    expect(new Set(secrets).size).toBe(1);
    expect(readdirSync(race)).toEqual(['auth-secret']);
    expect(statSync(path.join(race, 'auth-secret')).mode & 0o777).toBe(0o600);
  });

  it('refuses a stored secret that is too short', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'auth-secret'), 'short\n');
    await expect(resolveAuthSecret({ authSecret: undefined, dataDir: dir })).rejects.toThrow(/shorter than 32/);
  });
});
