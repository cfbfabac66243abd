import { proxyActivities } from '@temporalio/workflow';
import type { BenchActivities } from '../bench-activities';

const { 'bench.step': step } = proxyActivities<BenchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** What bench/templates/three-steps.yaml does, written by hand: the baseline for the interpreter. */
export async function handWrittenThreeSteps(input: { value: number }): Promise<{ value: number }> {
  const first = await step({ value: input.value, label: 'first' });
  const second = await step({ value: first.value, label: 'second' });
  const third = await step({ value: second.value, label: 'third' });
  if (third.value * 2 > 10) {
    const big = await step({ value: third.value, label: 'big' });
    return { value: big.value };
  }
  const small = await step({ value: third.value, label: 'small' });
  return { value: small.value };
}
