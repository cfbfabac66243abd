import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { InstanceStatus } from '../contracts/engine';
import type { ProcessInstance } from './process-instance';
import { BUSINESS_KEY, PROCESS_STATUS, TEMPLATE_KEY, TEMPLATE_VERSION } from './search-attributes';

/** The statuses Temporal's execution status already shows (a cancelled run ends CANCELED). */
const TEMPORAL_STATUSES: ReadonlySet<InstanceStatus> = new Set(['running', 'completed', 'failed', 'cancelled']);

/**
 * Sets the instance status in workflow state and in the Temporal search attributes. Only values
 * that differ are upserted: the API already sets them all at start, and each upsert is a
 * history event plus a visibility write. In a projected start (RunProcessInput.projectedStart)
 * ProcessStatus holds only what Temporal's execution status cannot say (incident) and is
 * removed again when the status is one Temporal shows.
 */
export function setStatus(instance: ProcessInstance, status: InstanceStatus, withIdentity = false): void {
  instance.status = status;
  const statusFromTemporal = instance.args.projectedStart !== undefined && TEMPORAL_STATUSES.has(status);
  const pairs: SearchAttributeUpdatePair[] = [{ key: PROCESS_STATUS, value: statusFromTemporal ? null : status }];
  if (withIdentity) {
    pairs.push(
      { key: TEMPLATE_KEY, value: instance.info.templateKey },
      { key: TEMPLATE_VERSION, value: instance.info.version },
    );
    if (instance.info.businessKey !== null) pairs.push({ key: BUSINESS_KEY, value: instance.info.businessKey });
  }
  const current = workflowInfo().typedSearchAttributes;
  const changed = pairs.filter((pair) => (current.get(pair.key as never) ?? null) !== pair.value);
  if (changed.length > 0) upsertSearchAttributes(changed);
}
