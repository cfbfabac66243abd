import { Type } from 'typebox';
import type { ActivityContract } from '../dsl/activity-contract';

export interface BenchStepParams {
  value: number;
  label: string;
}

/** A cheap activity, so what the benchmark measures is the workflow code around it. */
export function createBenchActivities() {
  return {
    async 'bench.step'(params: BenchStepParams): Promise<{ value: number; label: string }> {
      return { value: params.value + 1, label: params.label };
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;

export const BENCH_CATALOG: Record<string, ActivityContract> = {
  'bench.step': {
    description: 'Adds one to value (benchmark only).',
    params: Type.Object({ value: Type.Number(), label: Type.String() }, { additionalProperties: false }),
    result: Type.Object({ value: Type.Number(), label: Type.String() }),
  },
};
