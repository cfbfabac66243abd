import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_CATALOG } from '../../../../activities';
import { compileTemplate } from '../../../../dsl/compile';
import type { ProcessPlan } from '../../../../dsl/plan';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const TEMPLATES = join(ROOT, 'templates');

/** The keys of the built-in templates (templates/*.yaml). */
export const BUILTIN_KEYS = readdirSync(TEMPLATES)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.replace(/\.yaml$/, ''))
  .sort();

/** Compiles YAML with the real catalog; throws on errors, as a test of the diagram needs a plan. */
export function planOf(source: string): ProcessPlan {
  const { plan, diagnostics } = compileTemplate(source, { catalog: ACTIVITY_CATALOG });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!plan || errors.length > 0) throw new Error(errors.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return plan;
}

export const builtinSource = (key: string) => readFileSync(join(TEMPLATES, `${key}.yaml`), 'utf8');
export const builtinPlan = (key: string) => planOf(builtinSource(key));
export const fixturePlan = (name: string) =>
  planOf(readFileSync(join(ROOT, 'test', 'fixtures', 'templates', `${name}.yaml`), 'utf8'));
