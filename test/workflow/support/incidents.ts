import type { IncidentView } from '../../../contracts/engine';
import { resolveIncidentUpdate, stateQuery } from '../../../workflows/messages';
import { eventually, type ProcessHandle } from './process-harness';

/**
 * Waits for the instance to hold a step in incident and ends it as failed, as an operator would:
 * what tests of a failing step did before incidents existed, and still check after this.
 */
export async function failIncident(handle: ProcessHandle): Promise<IncidentView> {
  const held = await eventually(async () => {
    const state = await handle.query(stateQuery);
    return state.status === 'incident' ? state.incidents?.[0] : undefined;
  }, `instance ${handle.workflowId} in incident`);
  await handle.executeUpdate(resolveIncidentUpdate, {
    args: [{ decision: 'fail', actor: { userId: 'u-admin', roles: ['admin'] } }],
  });
  return held;
}
