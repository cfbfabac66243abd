/** A loose view of cel-js AST nodes: enough to find names, member chains and literals. */
export interface AstNode {
  op: string;
  args: unknown;
  range: { start: number; end: number };
}

export function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value && 'range' in value;
}

// Macros that bind their first argument as a variable over the rest (`list.exists(x, …)`).
const BINDING_MACROS = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'map',
  'filter',
  'sortBy',
  'transformList',
  'transformMap',
]);

/**
 * Visits every node with the set of names that macros (`exists(x, …)`, `cel.bind(x, …)`) bind
 * around it, so a macro variable called `steps` is not taken for the template's steps.
 */
export function walkAst(
  node: unknown,
  visit: (node: AstNode, bound: ReadonlySet<string>) => void,
  bound: ReadonlySet<string> = new Set(),
): void {
  if (!isAstNode(node)) {
    if (Array.isArray(node)) for (const item of node) walkAst(item, visit, bound);
    return;
  }
  visit(node, bound);
  if (node.op === 'rcall') {
    const [name, receiver, args] = node.args as [string, unknown, unknown[]];
    walkAst(receiver, visit, bound);
    const first = args[0];
    const isBind = name === 'bind' && isAstNode(receiver) && receiver.op === 'id' && receiver.args === 'cel';
    if ((BINDING_MACROS.has(name) || isBind) && isAstNode(first) && first.op === 'id') {
      const inner = new Set(bound).add(first.args as string);
      if (isBind) walkAst(args[1], visit, bound);
      for (const arg of args.slice(isBind ? 2 : 1)) walkAst(arg, visit, inner);
      return;
    }
    for (const arg of args) walkAst(arg, visit, bound);
    return;
  }
  if (node.op === 'call') {
    walkAst((node.args as [string, unknown[]])[1], visit, bound);
    return;
  }
  if (node.op === '.' || node.op === '.?') {
    walkAst((node.args as [unknown, string])[0], visit, bound);
    return;
  }
  if (node.op === 'value' || node.op === 'id') return;
  walkAst(node.args, visit, bound);
}

/** `steps.assign.rep` as `['steps', 'assign', 'rep']` when the node is a plain member chain. */
export function memberChain(node: unknown): (string | number)[] | undefined {
  if (!isAstNode(node)) return undefined;
  if (node.op === 'id') return [node.args as string];
  if (node.op === '.' || node.op === '.?') {
    const [target, field] = node.args as [unknown, string];
    const chain = memberChain(target);
    return chain ? [...chain, field] : undefined;
  }
  if (node.op === '[]' || node.op === '[?]') {
    const [target, index] = node.args as [unknown, unknown];
    const chain = memberChain(target);
    if (!chain || !isAstNode(index) || index.op !== 'value') return undefined;
    const key = index.args;
    if (typeof key === 'string') return [...chain, key];
    if (typeof key === 'bigint' || typeof key === 'number') return [...chain, Number(key)];
  }
  return undefined;
}

/** The string a literal node holds, if it is a string literal. */
export function stringLiteral(node: unknown): string | undefined {
  return isAstNode(node) && node.op === 'value' && typeof node.args === 'string' ? node.args : undefined;
}
