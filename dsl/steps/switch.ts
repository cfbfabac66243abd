import { emptyDelta } from '../cel/scope-types';
import type { StepPlan } from '../plan';
import { ref } from '../schema-defs';
import { BOOLEAN, isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, switch: [{ when: =…, do: [steps] }, …, { otherwise: [steps] }] }`: runs the first case
 * whose `when` is true, else `otherwise` (which, if present, is the last case). Without
 * `otherwise` and no match, nothing runs (the switch-default rule warns). A variable set in every
 * case including `otherwise` is certainly set afterwards.
 */
export const switchStep: StepKindDefinition<'switch'> = {
  kind: 'switch',
  schema: {
    required: ['switch'],
    properties: {
      switch: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { when: ref.expression, do: ref.steps, otherwise: ref.steps },
          additionalProperties: false,
          if: { required: ['otherwise'] },
          then: { maxProperties: 1, 'x-message': 'an otherwise case has no when or do' },
          else: { required: ['when', 'do'] },
        },
      },
    },
  },
  compile(step, ctx) {
    const raw = Array.isArray(step.switch) ? step.switch : [];
    const cases: { when: { $expr: string }; steps: StepPlan[] }[] = [];
    const branchVars: Set<string>[] = [];
    let otherwise: StepPlan[] | undefined;
    raw.forEach((item, i) => {
      if (!isRecord(item)) return;
      if ('otherwise' in item) {
        if (otherwise !== undefined || i !== raw.length - 1) {
          ctx.report(
            'schema.invalid',
            ['switch', i],
            'otherwise must be the last case of a switch, and there can be only one',
          );
        }
        const compiled = ctx.sequence(['switch', i, 'otherwise'], item.otherwise);
        otherwise = compiled.steps;
        branchVars.push(compiled.certain.vars);
        return;
      }
      const when = ctx.expr(['switch', i, 'when'], item.when, BOOLEAN) ?? { $expr: 'false' };
      const compiled = ctx.sequence(['switch', i, 'do'], item.do);
      cases.push({ when, steps: compiled.steps });
      branchVars.push(compiled.certain.vars);
    });
    const certain = emptyDelta();
    if (otherwise !== undefined) {
      const [first, ...others] = branchVars;
      for (const name of first ?? []) if (others.every((vars) => vars.has(name))) certain.vars.add(name);
    }
    return { body: { cases, ...(otherwise !== undefined ? { otherwise } : {}) }, certain };
  },
  resultSchema: () => ({}),
};
