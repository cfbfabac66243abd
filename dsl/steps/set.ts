import { emptyDelta } from '../cel/scope-types';
import type { ValueTemplate } from '../plan';
import { ref } from '../schema-defs';
import { isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, set: { approved: =steps.review.outcome == "approved", attempts: =vars.attempts + 1 } }`:
 * sets variables. Every value sees the scope before the step, not its siblings.
 */
export const setStep: StepKindDefinition<'set'> = {
  kind: 'set',
  schema: {
    required: ['set'],
    properties: {
      set: {
        type: 'object',
        minProperties: 1,
        propertyNames: ref.identifier,
        additionalProperties: ref.value,
        description: 'Variable name → value.',
      },
    },
  },
  compile(step, ctx) {
    const raw = isRecord(step.set) ? step.set : {};
    const vars: Record<string, ValueTemplate> = {};
    const certain = emptyDelta();
    for (const [name, value] of Object.entries(raw)) {
      vars[name] = ctx.value(['set', name], value);
      certain.vars.add(name);
    }
    return { body: { vars }, certain };
  },
  resultSchema: () => ({}),
};
