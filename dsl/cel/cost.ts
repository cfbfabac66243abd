import { isAstNode, walkAst } from './ast';

/**
 * Data an expression reads (input, step results, variables) has no size at publish time; the
 * estimate takes lists and strings from it to hold this many elements or characters. Run time
 * meters the real sizes (cel/evaluate.ts).
 */
export const ASSUMED_DATA_SIZE = 100;

/** Macros that run their body once per element of the receiver. */
const COMPREHENSIONS = new Set([
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
/** Comprehensions whose result has an element per element of the receiver. */
const LIST_RESULTS = new Set(['map', 'filter', 'sortBy', 'transformList', 'transformMap']);
/** Functions whose result is a scalar whatever their arguments. */
const SCALAR_RESULTS = new Set([
  'size',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'int',
  'uint',
  'double',
  'bool',
  'has',
  'type',
  'timestamp',
  'duration',
  'date',
]);

/**
 * What evaluating a node costs, and how big its value is: `length` elements of a list or map
 * (characters of a string), each of up to `item` elements or characters.
 */
interface Estimate {
  cost: number;
  length: number;
  item: number;
}

const SCALAR: Estimate = { cost: 1, length: 1, item: 1 };
const DATA: Estimate = { cost: 1, length: ASSUMED_DATA_SIZE, item: ASSUMED_DATA_SIZE };

/** Syntax-tree nodes of a parsed expression. */
export function countAstNodes(ast: unknown): number {
  let count = 0;
  walkAst(ast, () => {
    count += 1;
  });
  return count;
}

/**
 * An upper estimate, in the run-time meter's units, of what evaluating the expression costs: a
 * unit per node, a comprehension's body once per element of its receiver, and the size of what
 * `+` concatenates. Nested loops over literal lists and values doubled through `cel.bind` grow
 * it multiplicatively, which is what makes an expression of a few hundred characters run for
 * minutes; ordinary expressions stay in the tens or hundreds.
 */
export function estimateExpressionCost(ast: unknown): number {
  const result = estimate(ast, new Map());
  // Turning the value into JSON visits all of it: nested lists of lists multiply.
  return result.cost + flatSize(result);
}

function estimate(node: unknown, bound: ReadonlyMap<string, Estimate>): Estimate {
  if (!isAstNode(node)) return Array.isArray(node) ? combine(node.map((item) => estimate(item, bound))) : SCALAR;
  const args = node.args;
  switch (node.op) {
    case 'value':
      return typeof args === 'string' ? { cost: 1, length: Math.max(1, args.length), item: 1 } : SCALAR;
    case 'id':
      return bound.get(args as string) ?? DATA;
    case '.':
    case '.?':
    case '[]':
    case '[?]': {
      const [target, key] = args as [unknown, unknown];
      const of = estimate(target, bound);
      const index = isAstNode(key) ? estimate(key, bound).cost : 0;
      return { cost: of.cost + index + 1, length: of.item, item: of.item };
    }
    case 'list': {
      const items = (args as unknown[]).map((item) => estimate(item, bound));
      return {
        cost: 1 + sum(items.map((item) => item.cost + 1)),
        length: items.length,
        item: Math.max(1, ...items.map(flatSize)),
      };
    }
    case 'map': {
      const entries = (args as [unknown, unknown][]).map(([key, value]) => [
        estimate(key, bound),
        estimate(value, bound),
      ]);
      return {
        cost: 1 + sum(entries.map(([key, value]) => key!.cost + value!.cost + 1)),
        length: entries.length,
        item: Math.max(1, ...entries.map(([, value]) => flatSize(value!))),
      };
    }
    case '?:': {
      const [condition, then, otherwise] = (args as unknown[]).map((part) => estimate(part, bound)) as Estimate[];
      return {
        cost: condition!.cost + Math.max(then!.cost, otherwise!.cost) + 1,
        length: Math.max(then!.length, otherwise!.length),
        item: Math.max(then!.item, otherwise!.item),
      };
    }
    case 'rcall':
      return estimateMethod(...(args as [string, unknown, unknown[]]), bound);
    case 'call': {
      const [name, callArgs] = args as [string, unknown[]];
      return estimateFunction(
        name,
        callArgs.map((arg) => estimate(arg, bound)),
      );
    }
    case '+': {
      const [left, right] = (args as unknown[]).map((part) => estimate(part, bound)) as Estimate[];
      const length = left!.length + right!.length;
      return { cost: left!.cost + right!.cost + length, length, item: Math.max(left!.item, right!.item) };
    }
    default: {
      const parts = (Array.isArray(args) ? args : [args]).map((part) => estimate(part, bound));
      return { cost: 1 + sum(parts.map((part) => part.cost)), length: 1, item: 1 };
    }
  }
}

function estimateMethod(name: string, receiver: unknown, args: unknown[], bound: ReadonlyMap<string, Estimate>) {
  const [first, ...rest] = args;
  const variable = isAstNode(first) && first.op === 'id' ? (first.args as string) : undefined;
  if (name === 'bind' && isAstNode(receiver) && receiver.op === 'id' && receiver.args === 'cel' && variable) {
    const value = estimate(rest[0], bound);
    const body = estimate(rest[1], new Map(bound).set(variable, value));
    return { cost: value.cost + body.cost + 1, length: body.length, item: body.item };
  }
  const of = estimate(receiver, bound);
  if (COMPREHENSIONS.has(name) && variable) {
    const element = { cost: 1, length: of.item, item: of.item };
    const bodies = rest.map((part) => estimate(part, new Map(bound).set(variable, element)));
    const perElement = sum(bodies.map((body) => body.cost)) + 1;
    const cost = of.cost + 1 + of.length * perElement;
    if (!LIST_RESULTS.has(name)) return { cost, length: 1, item: 1 };
    const item = name === 'filter' || name === 'sortBy' ? of.item : Math.max(1, (bodies.at(-1) ?? SCALAR).length);
    return { cost, length: of.length, item };
  }
  return estimateFunction(name, [of, ...args.map((arg) => estimate(arg, bound))]);
}

// A function reads all of its arguments once; unless it is known to give a scalar, its result
// may be as long as they are together (`join` flattens a list of strings into one).
function estimateFunction(name: string, args: Estimate[]): Estimate {
  const reads = sum(args.map((arg) => arg.cost + arg.length));
  if (SCALAR_RESULTS.has(name)) return { cost: 1 + reads, length: 1, item: 1 };
  if (name === 'join') return { cost: 1 + reads, length: Math.max(1, sum(args.map(flatSize))), item: 1 };
  const length = sum(args.map((arg) => arg.length));
  return { cost: 1 + reads, length: Math.max(1, length), item: Math.max(1, ...args.map((arg) => arg.item)) };
}

function flatSize(estimate: Estimate): number {
  return estimate.length * Math.max(1, estimate.item);
}

function combine(parts: Estimate[]): Estimate {
  return { cost: sum(parts.map((part) => part.cost)), length: 1, item: 1 };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
