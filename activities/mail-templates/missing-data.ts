import Mustache from 'mustache';

type Spans = ReturnType<typeof Mustache.parse>;

/**
 * Names a template would render from `data` that are absent (undefined or null). Mustache renders
 * those as empty text, which in a mail reads as a silent gap, so we walk the parsed tokens the
 * way the renderer does: sections that would not render are skipped, lists are walked per item,
 * and a section's own name is never required (an absent section is how optional parts are written).
 */
export function findMissingData(template: string, data: unknown): string[] {
  const missing = new Set<string>();
  walk(Mustache.parse(template), [data], [], missing);
  return [...missing];
}

function walk(spans: Spans, stack: unknown[], path: string[], missing: Set<string>): void {
  for (const span of spans) {
    const [type, name] = span;
    if (type === 'name' || type === '&') {
      const { found, value } = lookup(stack, name);
      if (!found || value === undefined || value === null) missing.add([...path, name].join('.'));
    } else if (type === '#' || type === '^') {
      const children = span[4];
      if (!Array.isArray(children)) continue;
      const { value } = lookup(stack, name);
      const inner = children as Spans;
      if (type === '^') {
        if (isFalsy(value)) walk(inner, stack, path, missing);
      } else if (Array.isArray(value)) {
        for (const item of value) walk(inner, [...stack, item], [...path, name], missing);
      } else if (!isFalsy(value)) {
        walk(inner, typeof value === 'object' ? [...stack, value] : stack, [...path, name], missing);
      }
    }
  }
}

function isFalsy(value: unknown): boolean {
  return !value || (Array.isArray(value) && value.length === 0);
}

/** Mustache's context lookup: innermost context first, dotted names descend from their first hit. */
function lookup(stack: unknown[], name: string): { found: boolean; value: unknown } {
  if (name === '.') return { found: true, value: stack[stack.length - 1] };
  const names = name.split('.');
  for (let depth = stack.length - 1; depth >= 0; depth -= 1) {
    let value: unknown = stack[depth];
    let found = false;
    for (const [index, key] of names.entries()) {
      if (value === null || typeof value !== 'object') {
        found = false;
        break;
      }
      if (index === names.length - 1) found = key in value;
      value = (value as Record<string, unknown>)[key];
    }
    if (found) return { found, value };
  }
  return { found: false, value: undefined };
}
