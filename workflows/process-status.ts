import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { InstanceStatus } from '../contracts/engine';
import type { ProcessInstance } from './process-instance';
import { BUSINESS_KEY, PROCESS_STATUS, TEMPLATE_KEY, TEMPLATE_VERSION } from './search-attributes';

/**
 * Sets the instance status in workflow state and in the Temporal search attributes. Only values
 * that differ are upserted: the API already sets them all at start, and each upsert is a
 * history event plus a visibility write.
 */
export function setStatus(instance: ProcessInstance, status: InstanceStatus, withIdentity = false): void {
  instance.status = status;
  const pairs: SearchAttributeUpdatePair[] = [{ key: PROCESS_STATUS, value: status }];
  if (withIdentity) {
    pairs.push(
      { key: TEMPLATE_KEY, value: instance.info.templateKey },
      { key: TEMPLATE_VERSION, value: instance.info.version },
    );
    if (instance.info.businessKey !== null) pairs.push({ key: BUSINESS_KEY, value: instance.info.businessKey });
  }
  const current = workflowInfo().typedSearchAttributes;
  const changed = pairs.filter((pair) => current.get(pair.key as never) !== pair.value);
  if (changed.length > 0) upsertSearchAttributes(changed);
}
