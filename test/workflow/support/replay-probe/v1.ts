import { proxyActivities, sleep } from '@temporalio/workflow';

// A deliberately tiny workflow whose three versions show what replay catches (see replay.test.ts).
const { 'test.echo': echo } = proxyActivities<{ 'test.echo'(value: string): Promise<string> }>({
  startToCloseTimeout: '10 seconds',
});

/** v1: a timer, then an activity. */
export async function replayProbe(): Promise<string> {
  await sleep('1 hour');
  return echo('v1');
}
