import { afterAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { ACTIVITY_CATALOG } from '../../../../../activities';
import { CompileBudgetError, TemplateCompilePool } from '../../../../../api/services/template-compile/compile-pool';
import { compileTemplate } from '../../../../../dsl/compile';
import { toLocated } from '../../../../../dsl/diagnostics';

const templatesDir = new URL('../../../../../templates/', import.meta.url);
const builtins = readdirSync(templatesDir)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => readFileSync(new URL(file, templatesDir), 'utf8'));

const SMALL = 'key: small\nname: Small\ninput: { type: object }\nsteps:\n  - id: one\n    set: { x: "=1 + 2" }\n';

function hugeTemplate(steps: number): string {
  const lines = Array.from({ length: steps }, (_, i) => `  - id: s${i}\n    set: { v${i}: '=input.amount * ${i}' }`);
  return [
    'key: huge',
    'name: Huge',
    'input: { type: object, properties: { amount: { type: number } } }',
    'steps:',
    ...lines,
    '',
  ].join('\n');
}

describe('TemplateCompilePool', () => {
  const pools: TemplateCompilePool[] = [];
  const poolOf = (options: Partial<ConstructorParameters<typeof TemplateCompilePool>[0]> = {}) => {
    const pool = new TemplateCompilePool({ catalog: ACTIVITY_CATALOG, ...options });
    pools.push(pool);
    return pool;
  };
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  it('compiles in a worker thread exactly as in process', async () => {
    const pool = poolOf();
    expect(builtins).toHaveLength(5);
    for (const source of builtins) {
      const inProcess = compileTemplate(source, { catalog: ACTIVITY_CATALOG });
      const inWorker = await pool.compile({ source, calls: {} });
      expect(inWorker.plan).toEqual(inProcess.plan);
      expect(inWorker.diagnostics).toEqual(inProcess.diagnostics.map((d) => toLocated(d, source)));
    }
  });

  it('stops a compile over its time budget and carries on with a fresh worker', async () => {
    const pool = poolOf({ timeoutMs: 300, limits: { maxSourceBytes: 8 * 1024 * 1024, maxSteps: 1_000_000 } });
    const overrun = await pool.compile({ source: hugeTemplate(20_000), calls: {} }).catch((error: unknown) => error);
    expect(overrun).toBeInstanceOf(CompileBudgetError);
    expect(overrun).toMatchObject({ reason: 'time', message: expect.stringContaining('longer than 300 ms') });
    const next = await pool.compile({ source: SMALL, calls: {} });
    expect(next.diagnostics).toEqual([]);
  });

  it('refuses compiles once closed', async () => {
    const pool = poolOf();
    await pool.close();
    await expect(pool.compile({ source: builtins[0]!, calls: {} })).rejects.toThrow('closed');
  });
});
