/**
 * A cost meter for CEL evaluation. cel-js 8 has parse-time limits only, so the meter hooks the
 * one place every child node is evaluated through: the environment's evaluator `run(ast, ctx)`
 * (cel-js passes it to each node's `evaluate(ev, ast, ctx)` and macros and operators call
 * `ev.run` for their operands and every loop iteration). Each node evaluated costs a unit, plus
 * what it builds: a list or map its new elements (once, however often the growing accumulator
 * of a `map` passes by) and a string a unit per 16 characters. A unit is well under a
 * microsecond, so the default budget of a million stops a runaway expression in well under a
 * second.
 *
 * This relies on cel-js internals (the package is pinned; test/unit/dsl/cel/meter.test.ts fails
 * if an upgrade bypasses the hook). Evaluation is synchronous (no async functions are
 * registered), so one module-level meter at a time is enough, in the workflow sandbox as in
 * the API.
 */

interface Meter {
  budget: number;
  spent: number;
  /** Elements of each list or map already paid for. */
  paid: WeakMap<object, number>;
}

interface CelEvaluator {
  run(ast: unknown, ctx: unknown): unknown;
}

interface CelNode {
  evaluate(ev: CelEvaluator, ast: unknown, ctx: unknown): unknown;
}

class OverBudget extends Error {
  constructor() {
    super('over budget');
    this.name = 'OverBudget';
  }
}

let current: Meter | undefined;
const hooked = new WeakSet<CelEvaluator>();
let anyHooked = false;

export type MeteredOutcome<T> = { value: T; overBudget: false } | { error: unknown; overBudget: boolean };

/**
 * Runs `evaluate` under a meter of `budget` units. The outcome says whether it ran over, even
 * when CEL swallowed the meter's error (`true || <over budget>` is `true` in CEL's error
 * semantics): an evaluation that spent its budget fails whatever it returned.
 */
export function withMeter<T>(budget: number, evaluate: () => T): MeteredOutcome<T> {
  const meter: Meter = { budget, spent: 0, paid: new WeakMap() };
  const outer = current;
  current = meter;
  try {
    const value = evaluate();
    return meter.spent > budget ? { error: new OverBudget(), overBudget: true } : { value, overBudget: false };
  } catch (error) {
    return { error, overBudget: meter.spent > budget };
  } finally {
    current = outer;
  }
}

/**
 * Makes sure the evaluator that will run `root` is metered. The evaluator is private to its
 * environment; it is reached through the root node, whose first `evaluate` receives it.
 */
export function meterEvaluation(root: unknown): void {
  if (anyHooked || typeof root !== 'object' || root === null) return;
  const node = root as CelNode;
  const inherited = node.evaluate;
  node.evaluate = function (ev, ast, ctx) {
    hookEvaluator(ev);
    // The inherited method replaces itself (and this wrapper) with the node's own evaluator.
    return inherited.call(this, ev, ast, ctx);
  };
}

function hookEvaluator(ev: CelEvaluator): void {
  if (hooked.has(ev)) return;
  hooked.add(ev);
  anyHooked = true;
  const run = ev.run;
  ev.run = function (ast, ctx) {
    const meter = current;
    if (meter && meter.spent > meter.budget) throw new OverBudget();
    const value = run.call(this, ast, ctx);
    if (meter) charge(meter, value);
    return value;
  };
}

/** Charges work done outside cel-js (turning the result into JSON) to the running meter, if any. */
export function chargeUnits(units: number): void {
  const meter = current;
  if (!meter) return;
  meter.spent += units;
  if (meter.spent > meter.budget) throw new OverBudget();
}

function charge(meter: Meter, value: unknown): void {
  let units = 1;
  if (typeof value === 'string') units += value.length >> 4;
  else if (Array.isArray(value) || value instanceof Map || value instanceof Set) {
    const size = Array.isArray(value) ? value.length : value.size;
    const paid = meter.paid.get(value) ?? 0;
    if (size > paid) {
      units += size - paid;
      meter.paid.set(value, size);
    }
  }
  meter.spent += units;
  if (meter.spent > meter.budget) throw new OverBudget();
}
