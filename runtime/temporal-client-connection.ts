import {
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
  type GrpcRetryOptions,
} from '@temporalio/client';
import { InterceptingCall, Metadata, status, type Interceptor, type NextCall } from '@grpc/grpc-js';

/**
 * How the product's own Temporal client retries a call Temporal did not answer: for about 3 s,
 * not the SDK's default 10 attempts (about 18 s), so an API request in an outage gets its 503
 * with Retry-After while the client still waits; what must not be lost (raised events,
 * activities) is retried by its own outbox or by Temporal.
 */
export const TEMPORAL_CALL_RETRY = defaultGrpcRetryOptions({ maxAttempts: 6 });

export interface TemporalClientConnectionOptions {
  address: string;
  connectTimeout?: ConnectionOptions['connectTimeout'];
  /** How calls Temporal did not answer are retried: the SDK's default when absent, never when false. */
  retry?: GrpcRetryOptions | false;
}

/** A client connection (see {@link clientInterceptors}) that has reached Temporal once. */
export function connectTemporalClient(options: TemporalClientConnectionOptions): Promise<Connection> {
  return Connection.connect(connectionOptions(options));
}

/** A client connection that dials on its first call, for a Temporal that may not be there. */
export function lazyTemporalClient(options: TemporalClientConnectionOptions): Connection {
  return Connection.lazy(connectionOptions(options));
}

function connectionOptions({ address, connectTimeout, retry }: TemporalClientConnectionOptions): ConnectionOptions {
  return { address, connectTimeout, interceptors: clientInterceptors(retry) };
}

/**
 * Every client connection's gRPC interceptors: the SDK's retry, then {@link endCallsOnClosedChannel}
 * beneath it, so that the retry's next attempt is what the guard sees.
 */
export function clientInterceptors(retry: GrpcRetryOptions | false = defaultGrpcRetryOptions()): Interceptor[] {
  return retry === false ? [endCallsOnClosedChannel] : [makeGrpcRetryInterceptor(retry), endCallsOnClosedChannel];
}

/**
 * Fails a call begun on a closed connection with CANCELLED, as any other failed call ends.
 *
 * Why: the SDK's retry interceptor makes its next attempt from a timer. When the connection is
 * closed while that timer waits (an API shutting down during an outage, a test harness closing
 * its client after a request gave up on the answer), grpc-js throws 'Channel has been shut down'
 * from the timer, where no caller can catch it: the process dies of an uncaught exception, or a
 * test runner blames whichever suite runs next. With this guard the call fails instead, the retry
 * sees a status it does not retry, and the caller (if any is still waiting) gets the error.
 */
export const endCallsOnClosedChannel: Interceptor = (options, nextCall) => {
  let call: ReturnType<NextCall>;
  try {
    call = nextCall(options);
  } catch (error) {
    if (!(error instanceof Error && error.message === CHANNEL_SHUT_DOWN)) throw error;
    call = closedChannelCall();
  }
  return new InterceptingCall(call);
};

/** grpc-js's message when a call is made on a closed channel (internal-channel.ts, createCall). */
const CHANNEL_SHUT_DOWN = 'Channel has been shut down';

/** In place of the call grpc-js would have made on an open channel: it ends at once, CANCELLED. */
function closedChannelCall(): ReturnType<NextCall> {
  return {
    start(_metadata, listener) {
      // Asynchronously, as a call's status always arrives.
      process.nextTick(() =>
        listener?.onReceiveStatus?.({ code: status.CANCELLED, details: CHANNEL_SHUT_DOWN, metadata: new Metadata() }),
      );
    },
    sendMessageWithContext: () => undefined,
    sendMessage: () => undefined,
    startRead: () => undefined,
    halfClose: () => undefined,
    cancelWithStatus: () => undefined,
    getPeer: () => '',
    getAuthContext: () => null,
  };
}
