import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createTemporalLogger } from '../../../runtime/temporal-logging';

function capture(level: pino.Level): { lines: Record<string, unknown>[]; logger: pino.Logger } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

describe('Temporal logs through pino', () => {
  it('passes a line at an enabled level with its metadata, naming the workflow id instanceId', async () => {
    const { lines, logger } = capture('info');
    createTemporalLogger(logger).warn('Activity failed', { workflowId: 'lead-1', attempt: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'Activity failed',
        workflowId: 'lead-1',
        instanceId: 'lead-1',
        attempt: 2,
        component: 'temporal',
      }),
    ]);
  });

  it('does not read the metadata of a line below the level', async () => {
    const { lines, logger } = capture('info');
    const meta = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('metadata read');
        },
        get() {
          throw new Error('metadata read');
        },
      },
    );
    const temporal = createTemporalLogger(logger);
    expect(() => temporal.trace('Got workflow activation', meta)).not.toThrow();
    expect(() => temporal.debug('Starting activity', meta)).not.toThrow();
    temporal.info('Worker started');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => line['msg'])).toEqual(['Worker started']);
  });
});
