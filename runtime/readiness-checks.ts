import type { Connection } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
// CommonJS package whose namespace export Node's ESM loader cannot detect statically.
import proto from '@temporalio/proto';
import type { EmbeddedServiceState, ReadinessChecks } from '../api/readiness';
import type { Orm } from '../db/orm';

const { temporal } = proto;

/**
 * A poller is reported with the time its last long poll began; an idle worker's polls last up to
 * a minute, so a minute and a little is the longest a live worker goes unseen.
 */
export const POLLER_SEEN_WITHIN_MS = 75_000;

export interface ReadinessExtras {
  /** Check that some worker polls this task queue (both its workflow and its activity tasks). */
  taskQueue?: string;
  services?: () => Record<string, EmbeddedServiceState>;
}

/** What `/readyz` asks of the real dependencies: a round trip to each. */
export function createReadinessChecks(
  orm: Orm,
  connection: Connection,
  namespace: string,
  extras: ReadinessExtras = {},
): ReadinessChecks {
  const { taskQueue, services } = extras;
  return {
    database: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    temporal: async () => {
      await connection.workflowService.describeNamespace({ namespace });
    },
    ...(taskQueue === undefined ? {} : { worker: () => assertWorkerPolls(connection, namespace, taskQueue) }),
    ...(services === undefined ? {} : { services }),
  };
}

/** Throws unless workflow and activity tasks of the queue both have a poller seen recently. */
export async function assertWorkerPolls(connection: Connection, namespace: string, taskQueue: string): Promise<void> {
  const kinds = [
    ['workflow', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    ['activity', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const;
  const missing: string[] = [];
  for (const [kind, taskQueueType] of kinds) {
    const described = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
    });
    const recent = (described.pollers ?? []).filter(
      (poller) => Date.now() - (optionalTsToMs(poller.lastAccessTime) ?? 0) <= POLLER_SEEN_WITHIN_MS,
    );
    if (recent.length === 0) missing.push(kind);
  }
  if (missing.length > 0)
    throw new Error(
      `no worker polled ${missing.join(' and ')} tasks of ${taskQueue} in the last ${POLLER_SEEN_WITHIN_MS / 1000} s`,
    );
}
