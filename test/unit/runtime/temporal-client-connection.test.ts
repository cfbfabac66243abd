import { describe, expect, it } from '@jest/globals';
import { status, type InterceptorOptions } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';
import { endCallsOnClosedChannel, lazyTemporalClient } from '../../../runtime/temporal-client-connection';

/** Nothing listens on port 1: every call fails UNAVAILABLE, which the SDK's retry retries. */
const NOWHERE = '127.0.0.1:1';

describe('a Temporal client connection', () => {
  it('ends a call whose retry was due after the connection closed with CANCELLED, not a throw from the timer', async () => {
    const sdkDefault = defaultGrpcRetryOptions();
    const decided: Array<{ attempt: number; code: number; retried: boolean }> = [];
    // Decides as the SDK does, and closes the connection the moment it schedules the retry: the
    // retry then begins, from its timer, on a closed channel.
    const retry: GrpcRetryOptions = {
      delayFunction: () => 50,
      retryableDecider(attempt, callStatus) {
        const retried = sdkDefault.retryableDecider(attempt, callStatus);
        decided.push({ attempt, code: callStatus.code, retried });
        if (attempt === 1) void connection.close();
        return retried;
      },
    };
    const connection = lazyTemporalClient({ address: NOWHERE, connectTimeout: '1s', retry });
    const call = connection.workflowService.getSystemInfo({});
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED, details: 'Channel has been shut down' });
    expect(decided).toEqual([
      { attempt: 1, code: status.UNAVAILABLE, retried: true },
      { attempt: 2, code: status.CANCELLED, retried: false },
    ]);
  }, 10_000); // without the guard the call never settles

  it('lets any other failure to begin a call through', () => {
    const options = {} as InterceptorOptions;
    const broken = new Error('Invalid metadata');
    expect(() =>
      endCallsOnClosedChannel(options, () => {
        throw broken;
      }),
    ).toThrow(broken);
  });
});
