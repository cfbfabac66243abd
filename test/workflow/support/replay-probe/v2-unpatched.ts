import { proxyActivities, sleep } from '@temporalio/workflow';

const { 'test.echo': echo } = proxyActivities<{ 'test.echo'(value: string): Promise<string> }>({
  startToCloseTimeout: '10 seconds',
});

/** v2 WITHOUT patched(): the activity now runs before the timer. Breaks every v1 history. */
export async function replayProbe(): Promise<string> {
  const value = await echo('v2');
  await sleep('1 hour');
  return value;
}
