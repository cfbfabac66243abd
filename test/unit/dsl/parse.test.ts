import { describe, expect, it } from '@jest/globals';
import { toLocated } from '../../../dsl/diagnostics';
import { parseTemplate } from '../../../dsl/parse';

const source = `key: a
steps:
  - id: first
    with: { to: "=input.x", text: '=a + b' }
  - id: second
    when: |
      =input.amount >
        10
`;

describe('parseTemplate', () => {
  it('gives the plain value and the range of any node by path', () => {
    const parsed = parseTemplate(source);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toMatchObject({ key: 'a', steps: [{ id: 'first' }, { id: 'second' }] });
    expect(source.slice(...parsed.rangeOf(['steps', 0, 'id']))).toBe('first');
    expect(source.slice(...parsed.keyRangeOf(['steps', 1, 'when']))).toBe('when');
    expect(source.slice(...parsed.rangeOf(['steps', 0, 'with', 'to']))).toBe('"=input.x"');
  });

  it('falls back to the nearest existing node for a path that does not exist', () => {
    const parsed = parseTemplate(source);
    expect(parsed.rangeOf(['steps', 0, 'missing', 'deeper'])).toEqual(parsed.rangeOf(['steps', 0]));
    expect(parsed.rangeOf(['steps', 9])).toEqual(parsed.rangeOf(['steps']));
  });

  it('finds a range inside a quoted or block scalar by its text', () => {
    const parsed = parseTemplate(source);
    const [start, end] = parsed.rangeInside(['steps', 0, 'with', 'text'], 'a + b', 4, 5);
    expect(source.slice(start, end)).toBe('b');
    const whole = parsed.rangeInside(['steps', 1, 'when'], 'not there', 0, 1);
    expect(whole).toEqual(parsed.rangeOf(['steps', 1, 'when']));
  });

  it('reports every YAML error with its position', () => {
    const broken = 'key: a\nkey: b\nlist: [1, 2\nother: x\n';
    const parsed = parseTemplate(broken);
    expect(parsed.value).toBeUndefined();
    const located = parsed.diagnostics.map((d) => toLocated(d, broken));
    expect(located.length).toBeGreaterThanOrEqual(2);
    expect(located[0]).toMatchObject({ code: 'yaml.syntax', line: 2, column: 1, message: 'Map keys must be unique' });
  });
});
