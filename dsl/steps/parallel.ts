import { emptyDelta, extendScope, mergeDelta } from '../cel/scope-types';
import { ref } from '../schema-defs';
import {
  asPositiveInteger,
  asString,
  BOOLEAN,
  COMPLETION_LOCALS,
  isRecord,
  type StepKindDefinition,
} from './step-kind';

/**
 * `{ id, parallel: { mode: all | any | n, n?, branches: [{ id, steps }] } }`: runs the branches
 * at once; `all` waits for every one, `any` for the first, `n` for the first `n` (the rest are
 * cancelled). After `all`, every branch's steps have certainly run and can be referenced.
 * `completion: =…` is checked as each branch finishes (with `completed` and `total`; not the
 * branches' steps, as any branch may be the one that finished: they tell it through vars): when
 * true the running branches are cancelled and the step completes.
 */
export const parallelStep: StepKindDefinition<'parallel'> = {
  kind: 'parallel',
  schema: {
    required: ['parallel'],
    properties: {
      parallel: {
        type: 'object',
        required: ['branches'],
        properties: {
          mode: { enum: ['all', 'any', 'n'], description: '`all` (default), `any`, or `n` (n-of-m).' },
          n: { type: 'integer', minimum: 1, description: 'With `mode: n`: how many branches must finish.' },
          completion: {
            ...ref.expression,
            description:
              'Checked as each branch finishes; when true the running branches are cancelled (their tasks withdrawn) and the step completes.',
          },
          branches: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id', 'steps'],
              properties: { id: ref.identifier, steps: ref.steps },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
        if: { required: ['mode'], properties: { mode: { const: 'n' } } },
        then: { required: ['n'] },
      },
    },
  },
  compile(step, ctx) {
    const parallel = isRecord(step.parallel) ? step.parallel : {};
    const mode = parallel.mode === 'any' || parallel.mode === 'n' ? parallel.mode : 'all';
    const certain = emptyDelta();
    const rawBranches = Array.isArray(parallel.branches) ? parallel.branches : [];
    const branches = rawBranches.flatMap((branch, i) => {
      if (!isRecord(branch)) return [];
      const compiled = ctx.sequence(['parallel', 'branches', i, 'steps'], branch.steps);
      if (mode === 'all') mergeDelta(certain, compiled.certain);
      return [{ id: asString(branch.id) ?? `branch${i}`, steps: compiled.steps }];
    });
    const n = asPositiveInteger(parallel.n);
    const completion = ctx.expr(
      ['parallel', 'completion'],
      parallel.completion,
      BOOLEAN,
      extendScope(ctx.scope, { locals: new Map(COMPLETION_LOCALS) }),
    );
    return {
      body: { mode, ...(n !== undefined ? { n } : {}), branches, ...(completion ? { completion } : {}) },
      // An early completion may cancel any branch: nothing in them is certain then.
      certain: completion ? emptyDelta() : certain,
    };
  },
  resultSchema: () => ({}),
};
