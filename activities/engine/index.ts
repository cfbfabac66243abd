import { projectInstanceActivity } from './projection';
import { updateTaskActivity } from './task-changes';
import { completeTaskActivity, openTaskActivity } from './tasks';
import { resolveTemplateActivity } from './templates';

/** The engine's own activities (`engine.*`): instance and task projections, template lookup. */
export const engineActivities = [
  projectInstanceActivity,
  openTaskActivity,
  completeTaskActivity,
  updateTaskActivity,
  resolveTemplateActivity,
] as const;
