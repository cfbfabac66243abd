import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ACTIVITY_PROFILES, LOCAL_ACTIVITY_PROFILES } from './activity-profiles';

/** The engine's own activities (activities/engine/, params in activities/engine-contracts.ts). */
type EngineActivities = Pick<Activities,
  'engine.projectInstance' | 'engine.openTask' | 'engine.completeTask' | 'engine.updateTask' | 'engine.resolveTemplate'>;

export const {
  'engine.openTask': openTask,
  'engine.completeTask': completeTask,
  'engine.updateTask': updateTask,
  'engine.resolveTemplate': resolveTemplate,
} = proxyActivities<EngineActivities>(ACTIVITY_PROFILES.record);

/** Local: one cheap call per flush, run by the same worker within the workflow task. */
export const { 'engine.projectInstance': projectInstance } = proxyLocalActivities<EngineActivities>(
  LOCAL_ACTIVITY_PROFILES.projection,
);
