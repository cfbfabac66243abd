import { ref } from '../schema-defs';
import { asString, isRecord, type StepKindDefinition } from './step-kind';

/**
 * `{ id, process: { template: quote-approval, input: {…}, wait?: true } }`: starts a child
 * instance of another template (its newest published version) and, unless `wait: false`, waits
 * for its result. Calls between templates must not form a cycle (the process-recursion rule).
 */
export const processStep: StepKindDefinition<'process'> = {
  kind: 'process',
  schema: {
    required: ['process'],
    properties: {
      process: {
        type: 'object',
        required: ['template'],
        properties: {
          template: ref.templateKey,
          input: { ...ref.value, description: "The child's start input." },
          wait: { type: 'boolean', description: "Wait for the child's result (default true)." },
        },
        additionalProperties: false,
      },
    },
  },
  compile(step, ctx) {
    const process = isRecord(step.process) ? step.process : {};
    return {
      body: {
        template: asString(process.template) ?? '',
        input: ctx.value(['process', 'input'], process.input ?? {}),
        wait: process.wait !== false,
      },
    };
  },
  resultSchema: () => ({}),
};
