import type { LintRule } from './rule';

/**
 * A template must not start itself, directly or through others (A → B → A): the instances would
 * nest without end. Other templates' calls come from `resolveTemplateCalls`; without it only a
 * template calling itself is caught, and unknown templates are not reported.
 */
export const processRecursion: LintRule = {
  name: 'process-recursion',
  codes: ['process.recursion', 'process.unknown-template'],
  check({ model, resolveTemplateCalls, report }) {
    const self = model.key;
    for (const step of model.steps) {
      if (step.plan?.kind !== 'process' || step.plan.template === '') continue;
      const child = step.plan.template;
      const at = [...step.path, 'process', 'template'];
      if (child === self) {
        report(
          'process.recursion',
          at,
          `template '${self}' starts itself; a process step must not call its own template`,
        );
        continue;
      }
      if (!resolveTemplateCalls) continue;
      if (resolveTemplateCalls(child) === undefined) {
        report('process.unknown-template', at, `there is no template '${child}'`);
        continue;
      }
      const cycle = self === undefined ? undefined : findPathBack(child, self, resolveTemplateCalls);
      if (cycle)
        report('process.recursion', at, `templates call each other in a cycle: ${[self, ...cycle].join(' → ')}`);
    }
  },
};

/** The shortest chain of calls from `start` back to `target`, e.g. [b, c, a]; undefined when there is none. */
function findPathBack(
  start: string,
  target: string,
  calls: (key: string) => readonly string[] | undefined,
): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const key = queue.shift()!;
    for (const next of calls(key) ?? []) {
      if (next === target) {
        const chain = [key];
        for (let at = previous.get(key); at; at = previous.get(at)) chain.unshift(at);
        return [...chain, target];
      }
      if (!previous.has(next)) {
        previous.set(next, key);
        queue.push(next);
      }
    }
  }
  return undefined;
}
