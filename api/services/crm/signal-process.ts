import { WorkflowNotFoundError } from '@temporalio/client';
import type { Json } from '../../../dsl/plan';
import { eventSignal } from '../../../workflows/messages';
import type { EngineContext } from '../../engine-deps';
import { conflict } from './crm-problems';

export interface ProcessSignal {
  /** The business key of the instances to reach (an order id, a ticket id, a trigger ref). */
  businessKey: string;
  /** Only instances of this template; any template when left out. */
  templateKey?: string;
  event: string;
  payload: Json;
  /** Deterministic, so a retried request is the same event and the workflow takes it once. */
  eventId: string;
}

/**
 * Sends an event to every running instance with the business key, as listed by the
 * `process_instance` projection. Returns the instances that took it; an instance that ended since
 * the projection was read is skipped. Instances of the key that this API process is still
 * starting (a record created a moment ago) are waited for, so the event reaches them.
 */
export async function signalRunningInstances(ctx: EngineContext, signal: ProcessSignal): Promise<string[]> {
  await ctx.triggers.waitForStart({ businessKey: signal.businessKey });
  const page = await ctx.instances.list(ctx.orm.em.fork(), {
    businessKey: signal.businessKey,
    status: 'running',
    limit: 200,
    ...(signal.templateKey !== undefined ? { templateKey: signal.templateKey } : {}),
  });
  const signalled: string[] = [];
  for (const instance of page.items) {
    try {
      await ctx.client.workflow
        .getHandle(instance.id)
        .signal(eventSignal, { event: signal.event, payload: signal.payload, eventId: signal.eventId });
      signalled.push(instance.id);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return signalled;
}

/** As {@link signalRunningInstances}, but no running instance is the client's 409. */
export async function signalRequiredProcess(ctx: EngineContext, signal: ProcessSignal): Promise<string[]> {
  const signalled = await signalRunningInstances(ctx, signal);
  if (signalled.length === 0) {
    throw conflict(
      'no-running-process',
      `No running process has business key '${signal.businessKey}' to take '${signal.event}'.`,
    );
  }
  return signalled;
}
