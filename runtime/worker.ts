import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { activityOriginInterceptor } from './activity-origin-interceptor';
import { incidentInterceptor } from './incident-interceptor';

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundleWithSourceMap;
  deps: ActivityDeps;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has drained and stopped. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish, closes the connection. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities(options.deps),
    interceptors: {
      activity: [activityOriginInterceptor, incidentInterceptor(options.deps.orm, options.deps.logger)],
    },
    // Two cores: one workflow thread is enough and leaves room for the API and servers.
    workflowThreadPoolSize: 1,
    // Activities still running get this long before they are cancelled (and retried elsewhere):
    // within the 10 s a SIGTERM of `npm start` has for everything.
    shutdownGraceTime: '3 seconds',
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
