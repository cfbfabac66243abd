import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { EngineActivities } from '../contracts/engine';
import { ACTIVITY_PROFILES, LOCAL_ACTIVITY_PROFILES } from './activity-profiles';

/** The engine's own activities (activities/engine/, their signatures in contracts/engine.ts). */
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
