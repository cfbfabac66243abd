import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bindActivities, defineEngineActivity } from '../../../activities/activity-definition';
import { runWithActivityOrigin } from '../../../activities/activity-origin';
import { openOrm, type Orm } from '../../../db/orm';
import { createMailTransport } from '../../../runtime/mailer';
import { testServers } from '../../support/test-env';

/** Every line an activity logs carries its instance, template and task ids, found in its params or the projection. */
describe('activity log lines', () => {
  let orm: Orm;
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const says = defineEngineActivity({
    name: 'test.says',
    run: async (params: { word: string; instanceId?: string; templateKey?: string; taskId?: string }, deps) => {
      deps.logger.info({ word: params.word }, 'activity says');
      return params.word;
    },
  });
  let activities: ReturnType<typeof bindActivities<readonly [typeof says]>>;

  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 2 });
    activities = bindActivities([says] as const, {
      orm,
      mailer: createMailTransport(testServers().smtpUrl),
      mailFrom: 'log@engine.test',
      logger,
    });
  });
  afterAll(async () => {
    await orm.close();
  });

  const run = (workflowId: string, params: Parameters<(typeof activities)['test.says']>[0]) =>
    new MockActivityEnvironment({
      activityType: 'test.says',
      workflowExecution: { workflowId, runId: randomUUID() },
    }).run(activities['test.says'], params);
  const lineOf = (word: string) => lines.find((line) => line.word === word);

  it('takes the template and task from params that name them', async () => {
    const instanceId = `log-${randomUUID().slice(0, 8)}`;
    const taskId = `${instanceId}:steps[0]@0`;
    await run(instanceId, { word: 'w1', instanceId, templateKey: 'from-params', taskId });
    expect(lineOf('w1')).toMatchObject({ instanceId, templateKey: 'from-params', taskId, activity: 'test.says' });
  });

  it('looks the template up in the projection when the params do not name it, and goes without when there is none', async () => {
    const projected = `log-${randomUUID().slice(0, 8)}`;
    await orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into process_instance (id, template_key, version, status, started_at, current_steps, updated_at)
         values (?, 'from-projection', 1, 'running', now(), '[]', now())`,
        [projected],
      );
    await run(projected, { word: 'w2' });
    expect(lineOf('w2')).toMatchObject({ instanceId: projected, templateKey: 'from-projection' });
    expect(lineOf('w2')).not.toHaveProperty('taskId');

    const unknown = `log-${randomUUID().slice(0, 8)}`;
    await run(unknown, { word: 'w3' });
    expect(lineOf('w3')).toMatchObject({ instanceId: unknown, activity: 'test.says' });
    expect(lineOf('w3')).not.toHaveProperty('templateKey');
  });

  it("takes the template its workflow sent in the call's headers, without reading the projection", async () => {
    const unprojected = `log-${randomUUID().slice(0, 8)}`;
    await runWithActivityOrigin({ originalRunId: undefined, templateKey: 'from-header' }, () =>
      run(unprojected, { word: 'w4' }),
    );
    expect(lineOf('w4')).toMatchObject({ instanceId: unprojected, templateKey: 'from-header' });
  });
});
