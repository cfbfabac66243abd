import type { ActivityDeps } from '../deps';
import { createProjectionActivities } from './projection';
import { createTaskChangeActivities } from './task-changes';
import { createTaskActivities } from './tasks';
import { createTemplateActivities } from './templates';

/** The engine's own activities (`engine.*`): instance and task projections, template lookup. */
export function createEngineActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps),
    ...createTaskActivities(deps),
    ...createTaskChangeActivities(deps),
    ...createTemplateActivities(deps),
  };
}
