import { describe, expect, it } from '@jest/globals';
import { ASSUMED_DATA_SIZE, countAstNodes, estimateExpressionCost } from '../../../../dsl/cel/cost';
import { createCelEnvironment } from '../../../../dsl/cel/environment';

const environment = createCelEnvironment();
const costOf = (source: string) => estimateExpressionCost(environment.parse(source).ast);
const range = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;

describe('estimateExpressionCost', () => {
  it('costs plain expressions a unit per node, plus the size of what they build', () => {
    expect(costOf('1 + 2')).toBeLessThan(10);
    expect(costOf('input.amount > 1000 && input.region == "EU"')).toBeLessThan(30);
    expect(countAstNodes(environment.parse('input.amount > 1000').ast)).toBe(4);
  });

  it('multiplies a comprehension body by the length of its list', () => {
    const once = costOf(`${range(50)}.map(x, x * 2)`);
    const nested = costOf(`${range(50)}.map(x, ${range(50)}.map(y, x * y))`);
    expect(once).toBeGreaterThan(100);
    expect(nested).toBeGreaterThan(once * 40);
  });

  it('assumes lists read from data hold ASSUMED_DATA_SIZE elements', () => {
    expect(costOf('input.items.exists(i, i.price > 10)')).toBeGreaterThan(ASSUMED_DATA_SIZE);
    expect(costOf('input.a.exists(x, input.b.exists(y, x == y))')).toBeLessThan(1_000_000);
    expect(costOf('input.a.exists(x, input.b.exists(y, input.c.exists(z, x == y && y == z)))')).toBeGreaterThan(
      1_000_000,
    );
  });

  it('follows values doubled through cel.bind, strings and lists alike', () => {
    let doubled = '"xxxxxxxxxxxxxxxx"';
    let lists = '[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]';
    for (let i = 0; i < 20; i++) {
      doubled = `cel.bind(s, ${doubled}, s + s)`;
      lists = `cel.bind(l, ${lists}, [l, l, l, l, l, l, l, l, l, l])`;
    }
    expect(costOf(doubled)).toBeGreaterThan(1e6);
    expect(costOf(lists)).toBeGreaterThan(1e6);
  });
});
