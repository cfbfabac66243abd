import { isAstNode, memberChain, stringLiteral } from './ast';

/** A member read (`steps.revise.form.reason`) that no presence test in its expression protects. */
export interface UnguardedRead {
  chain: (string | number)[];
  start: number;
  end: number;
}

/**
 * Paths an expression proves present where it reads them. Reading a field a map lacks fails the
 * evaluation, so a possibly-absent field is read safely only where `has(path)` (or `"f" in x`)
 * holds: in the true branch of a ternary, on the right of `&&`, and the negated forms on the
 * else branch and the right of `||`. `guards` are paths known present around the expression
 * (the `if:` of an enclosing step).
 */
export function unguardedReads(
  ast: unknown,
  isOptional: (chain: readonly (string | number)[]) => boolean,
  guards: readonly string[] = [],
): UnguardedRead[] {
  const reads: UnguardedRead[] = [];
  const visit = (node: unknown, known: ReadonlySet<string>, bound: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, known, bound);
      return;
    }
    if (!isAstNode(node) || node.op === 'value' || node.op === 'id') return;
    const [first, second, third] = Array.isArray(node.args) ? (node.args as unknown[]) : [];
    switch (node.op) {
      case '?:':
        visit(first, known, bound);
        visit(second, union(known, presentIfTrue(first)), bound);
        visit(third, union(known, presentIfFalse(first)), bound);
        return;
      case '&&':
        visit(first, known, bound);
        visit(second, union(known, presentIfTrue(first)), bound);
        return;
      case '||':
        visit(first, known, bound);
        visit(second, union(known, presentIfFalse(first)), bound);
        return;
      case 'call':
        // has(x.f) tests x.f: the test is no read of it.
        if (first === 'has') return;
        visit(second, known, bound);
        return;
      case 'rcall': {
        const name = first as string;
        const args = (third ?? []) as unknown[];
        visit(second, known, bound);
        const variable = args[0];
        if (BINDING_MACROS.has(name) && isAstNode(variable) && variable.op === 'id') {
          const inner = new Set(bound).add(variable.args as string);
          visit(args.slice(1), known, inner);
          return;
        }
        visit(args, known, bound);
        return;
      }
      case '.':
      case '[]': {
        const chain = memberChain(node);
        if (chain && !bound.has(String(chain[0])) && isOptional(chain) && !isKnown(known, chain)) {
          reads.push({ chain, start: node.range.start, end: node.range.end });
          return;
        }
        visit(node.op === '.' ? first : [first, second], known, bound);
        return;
      }
      default:
        visit(node.args, known, bound);
    }
  };
  visit(ast, new Set(guards), new Set());
  return reads;
}

/** Paths `condition` proves present when it is true. */
export function presentIfTrue(condition: unknown): string[] {
  if (!isAstNode(condition)) return [];
  const args = Array.isArray(condition.args) ? (condition.args as unknown[]) : [];
  switch (condition.op) {
    case 'call': {
      const [name, callArgs] = args as [string, unknown[]];
      const chain = name === 'has' ? memberChain(callArgs[0]) : undefined;
      return chain ? [pathKey(chain)] : [];
    }
    case 'in': {
      const [key, container] = args;
      const field = stringLiteral(key);
      const chain = memberChain(container);
      return field !== undefined && chain ? [pathKey([...chain, field])] : [];
    }
    case '&&':
      return args.flatMap(presentIfTrue);
    case '!_':
      return presentIfFalse(condition.args);
    default:
      return [];
  }
}

function presentIfFalse(condition: unknown): string[] {
  if (!isAstNode(condition)) return [];
  if (condition.op === '!_') return presentIfTrue(condition.args);
  if (condition.op === '||') return (condition.args as unknown[]).flatMap(presentIfFalse);
  return [];
}

/** One string per member path; `has(a.b.c)` also proves `a.b` present. */
export function pathKey(chain: readonly (string | number)[]): string {
  return chain.map(String).join('\u0000');
}

function isKnown(known: ReadonlySet<string>, chain: readonly (string | number)[]): boolean {
  const key = pathKey(chain);
  for (const path of known) if (path === key || path.startsWith(`${key}\u0000`)) return true;
  return false;
}

function union(known: ReadonlySet<string>, more: readonly string[]): ReadonlySet<string> {
  return more.length === 0 ? known : new Set([...known, ...more]);
}

// Macros that bind their first argument over the rest, as in ast.ts's walk.
const BINDING_MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter', 'sortBy', 'bind']);
