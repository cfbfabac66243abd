import { parseDocument } from 'yaml';
import type { ProcessPlan } from './plan';

/**
 * The template keys a template's `process` steps call, read from its YAML without compiling it:
 * what `CompileOptions.resolveTemplateCalls` needs for templates checked together (the CLI).
 * Undefined key when the YAML has none.
 */
export function listTemplateCalls(source: string): { key?: string; calls: string[] } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return { calls: [] };
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const key = typeof value === 'object' && value !== null ? (value as { key?: unknown }).key : undefined;
  const calls = new Set<string>();
  collect(value, (node) => {
    const process = node.process;
    if (
      typeof process === 'object' &&
      process !== null &&
      typeof (process as { template?: unknown }).template === 'string'
    ) {
      calls.add((process as { template: string }).template);
    }
  });
  return { ...(typeof key === 'string' ? { key } : {}), calls: [...calls] };
}

/** The template keys a compiled plan's `process` steps call (for resolving against published versions). */
export function calledTemplates(plan: ProcessPlan): string[] {
  const calls = new Set<string>();
  collect([plan.steps, plan.onFailure], (node) => {
    if (node.kind === 'process' && typeof node.template === 'string') calls.add(node.template);
  });
  return [...calls];
}

function collect(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, visit);
  } else if (typeof value === 'object' && value !== null) {
    visit(value as Record<string, unknown>);
    for (const item of Object.values(value)) collect(item, visit);
  }
}
