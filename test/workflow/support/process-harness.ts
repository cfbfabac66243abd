import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { Json, ProcessPlan } from '../../../dsl/plan';
import { searchAttributeTypes } from '../../../runtime/temporal-readiness';
import { installTemporalRuntime } from '../../../runtime/temporal-logging';
import {
  RUN_PROCESS,
  type ProjectedStart,
  type RunProcessOptions,
  type RunProcessInput,
} from '../../../workflows/messages';
import type { runProcess } from '../../../workflows/run-process';
import { SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { testServers } from '../../support/test-env';

export { eventually } from '../../support/eventually';
import { sharedWorkflowBundle } from '../../support/test-worker';
import { createTimeSkippingEnv } from '../../support/time-skipping';
import { EngineStandIn } from './engine-stand-in';
import { TestActivities } from './test-activities';

export type ProcessHandle = WorkflowHandleWithFirstExecutionRunId<typeof runProcess>;

/**
 * A worker running the real bundle on the real time-skipping test server, with the engine
 * stand-ins and the test activities; one per test file. Each test starts its own instance.
 */
export interface ProcessHarness {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  engine: EngineStandIn;
  test: TestActivities;
  start(
    plan: ProcessPlan,
    input?: Json,
    options?: { workflowId?: string; options?: RunProcessOptions; projectedStart?: ProjectedStart },
  ): Promise<ProcessHandle>;
  teardown(): Promise<void>;
}

export async function startProcessHarness(
  options: {
    activities?: Record<string, (...args: never[]) => Promise<unknown>>;
    /** `dev`: the shared Temporal dev server of the test run (real time, real server) instead. */
    server?: 'time-skipping' | 'dev';
    /** The worker's interceptors (runtime/worker.ts installs the product's). */
    interceptors?: WorkerOptions['interceptors'];
  } = {},
): Promise<ProcessHarness> {
  installTemporalRuntime(pino({ level: process.env.TEST_LOG_LEVEL ?? 'error' }));
  let env: TestWorkflowEnvironment;
  if (options.server === 'dev') {
    // Its search attributes were registered by the global setup.
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: testServers().temporalAddress,
      namespace: testServers().namespace,
    });
  } else {
    env = await createTimeSkippingEnv();
    await registerSearchAttributes(env);
  }
  const engine = new EngineStandIn();
  const test = new TestActivities();
  const taskQueue = `process-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await sharedWorkflowBundle(),
    activities: { ...engine.activities, ...test.activities, ...options.activities },
    workflowThreadPoolSize: 1,
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    engine,
    test,
    start: (plan, input = {}, startOptions = {}) => {
      const args: RunProcessInput = {
        plan,
        input,
        ...(startOptions.options ? { options: startOptions.options } : {}),
        ...(startOptions.projectedStart ? { projectedStart: startOptions.projectedStart } : {}),
      };
      return env.client.workflow.start<typeof runProcess>(RUN_PROCESS, {
        taskQueue,
        workflowId: startOptions.workflowId ?? `${plan.key}-${randomUUID()}`,
        args: [args],
      });
    },
    teardown: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * The time-skipping server knows no custom search attributes until told; it implements
 * AddSearchAttributes but not ListSearchAttributes, so add them blindly.
 */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: searchAttributeTypes(SEARCH_ATTRIBUTES),
  });
}
