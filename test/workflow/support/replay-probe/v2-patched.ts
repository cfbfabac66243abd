import { patched, proxyActivities, sleep } from '@temporalio/workflow';

const { 'test.echo': echo } = proxyActivities<{ 'test.echo'(value: string): Promise<string> }>({
  startToCloseTimeout: '10 seconds',
});

/** v2 the right way: new histories take the new order, recorded v1 histories keep the old one. */
export async function replayProbe(): Promise<string> {
  if (patched('probe-activity-first')) {
    const value = await echo('v2');
    await sleep('1 hour');
    return value;
  }
  await sleep('1 hour');
  return echo('v1');
}
