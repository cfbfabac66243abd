import type { Path } from './path';
import type { Json, ValueTemplate } from './plan';

/** `=expr` → the expression text; `==text` → the literal `=text`; anything else is not an expression. */
export function expressionSource(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('=') || value.startsWith('==')) return undefined;
  return value.slice(1).trim();
}

/**
 * A YAML value as a plan ValueTemplate: `=…` strings become `{ $expr }` (reported to
 * `onExpression` with their path relative to the value), `==…` strings literal strings starting
 * with `=`, and an object that would read as an expression or literal marker is wrapped in
 * `{ $literal }`.
 */
export function compileValueTemplate(
  value: unknown,
  onExpression: (at: Path, source: string) => void,
  at: Path = [],
): ValueTemplate {
  if (typeof value === 'string') {
    const source = expressionSource(value);
    if (source !== undefined) {
      onExpression(at, source);
      return { $expr: source };
    }
    return value.startsWith('==') ? value.slice(1) : value;
  }
  if (Array.isArray(value)) return value.map((item, i) => compileValueTemplate(item, onExpression, [...at, i]));
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === '$expr' || keys[0] === '$literal')) return { $literal: value as Json };
    const out: Record<string, ValueTemplate> = {};
    for (const [key, item] of Object.entries(value)) out[key] = compileValueTemplate(item, onExpression, [...at, key]);
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return null;
}
