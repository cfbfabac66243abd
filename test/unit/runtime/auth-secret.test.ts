import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
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
    const [a, b] = await Promise.all([
      resolveAuthSecret({ authSecret: undefined, dataDir: path.join(dir, 'race') }),
      resolveAuthSecret({ authSecret: undefined, dataDir: path.join(dir, 'race') }),
    ]);
    expect(a).toBe(b);
  });

  it('refuses a stored secret that is too short', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'auth-secret'), 'short\n');
    await expect(resolveAuthSecret({ authSecret: undefined, dataDir: dir })).rejects.toThrow(/shorter than 32/);
  });
});
