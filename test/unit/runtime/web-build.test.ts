import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ensureWebBuild, sourceStamp } from '../../../runtime/web-build';

/**
 * A stand-in for Vite's CLI, so the build-on-start logic is tested without a real build: it writes
 * an index.html naming the build's number into --outDir, or fails as told by FAKE_VITE_FAIL.
 */
const FAKE_VITE = `
const fs = require('node:fs');
const path = require('node:path');
const out = process.argv[process.argv.indexOf('--outDir') + 1];
if (process.env.FAKE_VITE_FAIL) { console.error('src/main.tsx:3:1: ERROR: Unexpected "<"'); process.exit(1); }
const counter = path.join(process.cwd(), 'builds');
const n = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : '0') + 1;
fs.writeFileSync(counter, String(n));
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'index.html'), 'build ' + n);
`;

describe('building the web app on start', () => {
  let root: string;
  const messages: string[] = [];
  const log = { info: (m: string) => messages.push(m), warn: (m: string) => messages.push(`WARN ${m}`) };
  const served = () => readFileSync(join(root, 'dist', 'web', 'index.html'), 'utf8');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'web-build-'));
    mkdirSync(join(root, 'web', 'src'), { recursive: true });
    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'export {};');
    writeFileSync(join(root, 'vite.config.ts'), 'export default {};');
    writeFileSync(join(root, 'package-lock.json'), '{}');
    messages.length = 0;
    delete process.env.FAKE_VITE_FAIL;
  });
  afterEach(() => {
    delete process.env.FAKE_VITE_FAIL;
    rmSync(root, { recursive: true, force: true });
  });

  const installFakeVite = () => {
    mkdirSync(join(root, 'node_modules', 'vite', 'bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'vite', 'bin', 'vite.js'), FAKE_VITE);
  };

  it('says why and starts anyway when Vite is not installed', async () => {
    const result = await ensureWebBuild(log, root);
    expect(result).toMatchObject({ status: 'failed', served: false });
    expect(result.status === 'failed' && result.reason).toContain('Vite is not installed');
    expect(messages.join('\n')).toContain('web app not built');
  });

  it('builds once, then only when a source, the config or the lock changed', async () => {
    installFakeVite();
    expect(await ensureWebBuild(log, root)).toMatchObject({ status: 'built' });
    expect(served()).toBe('build 1');
    expect(await ensureWebBuild(log, root)).toMatchObject({ status: 'fresh' });
    expect(served()).toBe('build 1');

    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'export const changed = 1;');
    expect(await ensureWebBuild(log, root)).toMatchObject({ status: 'built' });
    expect(served()).toBe('build 2');
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(await ensureWebBuild(log, root)).toMatchObject({ status: 'built' });
    expect(served()).toBe('build 3');
    // Nothing is left behind from the swap.
    expect(existsSync(join(root, 'dist', '.web-build.lock'))).toBe(false);
    expect(readFileSync(join(root, 'dist', 'web', '.build-stamp'), 'utf8').trim()).toBe(await sourceStamp(root));
  });

  it('keeps serving the previous build when a new one fails, and reports the compiler output', async () => {
    installFakeVite();
    await ensureWebBuild(log, root);
    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'const broken = <;');
    process.env.FAKE_VITE_FAIL = '1';
    const result = await ensureWebBuild(log, root);
    expect(result).toMatchObject({ status: 'failed', served: true });
    expect(result.status === 'failed' && result.reason).toContain('Unexpected "<"');
    expect(served()).toBe('build 1');
    expect(messages.join('\n')).toContain('Serving the previous build');
    // Fixed: built again, since the failed sources never got a stamp.
    delete process.env.FAKE_VITE_FAIL;
    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'export const fixed = 1;');
    expect(await ensureWebBuild(log, root)).toMatchObject({ status: 'built' });
    expect(served()).toBe('build 2');
  });

  it('hashes paths as well as contents, and ignores dot-files', async () => {
    const before = await sourceStamp(root);
    writeFileSync(join(root, 'web', '.DS_Store'), 'noise');
    expect(await sourceStamp(root)).toBe(before);
    rmSync(join(root, 'web', 'src', 'main.tsx'));
    writeFileSync(join(root, 'web', 'src', 'other.tsx'), 'export {};');
    expect(await sourceStamp(root)).not.toBe(before);
  });
});
