import { Environment } from '@marcbachmann/cel-js';

/**
 * The CEL environment every expression runs in, at publish time (type checks) and in the
 * workflow sandbox (evaluation). JSON numbers are CEL doubles while integer literals are ints;
 * CEL has no implicit numeric conversion, so mixed int/double arithmetic is registered here
 * to keep `=input.price * 2` legal, and so is mixed equality, so `=input.amount == 0` type-checks
 * at publish time as it already evaluates at run time (JSON numbers are dyn there).
 */
export function createCelEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  const mixed: Record<'+' | '-' | '*' | '/', (a: number, b: number) => number> = {
    '+': (a, b) => a + b,
    '-': (a, b) => a - b,
    '*': (a, b) => a * b,
    '/': (a, b) => a / b,
  };
  for (const [op, apply] of Object.entries(mixed)) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(Number(a), b));
  }
  // Registering one direction declares both, and `!=` with them.
  env.registerOperator('double == int', (a: number, b: bigint) => a === Number(b));
  // CEL cannot print a timestamp; mails need dates: `date(timestamp(now) + duration("48h"))`.
  env.registerFunction('date(google.protobuf.Timestamp): string', (at: Date) => at.toISOString().slice(0, 10), {
    description: 'The UTC calendar date (yyyy-mm-dd) of a timestamp',
  });
  return env;
}
