import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Json } from '../../../dsl/plan';

/** Activities the test plans `call`: registered beside the engine stand-ins, never shipped. */
export class TestActivities {
  /** What `test.record` saw, in call order (compensation order is asserted on this). */
  readonly records: { key: string; value: Json }[] = [];

  readonly activities = {
    'test.echo': async (params: Json): Promise<Json> => params,
    'test.fail': async (params: { type: string; message?: string }): Promise<never> => {
      throw ApplicationFailure.create({
        type: params.type,
        message: params.message ?? `failed with ${params.type}`,
        nonRetryable: true,
      });
    },
    /** Fails (retryably) until attempt `failTimes + 1`. */
    'test.flaky': async (params: { failTimes: number; type?: string }): Promise<{ attempts: number }> => {
      const { attempt } = Context.current().info;
      if (attempt <= params.failTimes) {
        throw ApplicationFailure.create({
          type: params.type ?? 'test.flaky',
          message: `attempt ${attempt} fails`,
          nonRetryable: false,
        });
      }
      return { attempts: attempt };
    },
    'test.record': async (params: { key: string; value?: Json }): Promise<{ count: number }> => {
      this.records.push({ key: params.key, value: params.value ?? null });
      return { count: this.records.filter((record) => record.key === params.key).length };
    },
  };

  recorded(prefix: string): string[] {
    return this.records.filter((record) => record.key.startsWith(prefix)).map((record) => String(record.value));
  }
}
