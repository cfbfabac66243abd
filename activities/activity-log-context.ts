import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { InstanceRepository } from '../db/repositories';
import type { ActivityDeps } from './deps';
import { activityOrigin } from './activity-origin';
import { readWithin } from '../db/read-deadline';

/** Instances whose template is remembered per worker: enough for every instance a worker is busy with. */
const REMEMBERED_INSTANCES = 10_000;
/** A template lookup must not hold up the activity it is only a log label of. */
const LOOKUP_TIMEOUT_MS = 1_000;

export interface ActivityLogIds {
  /** The workflow id. */
  instanceId: string;
  templateKey?: string;
  taskId?: string;
  activity: string;
}

/**
 * Gives each activity call a logger carrying the ids an operator searches by: the instance (its
 * workflow id), its template and the task the call is about. The template comes from the call's
 * params when they name it (the engine's own activities do), else from what the workflow sent in
 * the call's headers (activity-origin.ts), else from the instance projection, remembered per
 * instance; when none knows it (the first projection of an instance not yet written), the lines
 * go without it.
 */
export function createActivityLogBinder(
  deps: Pick<ActivityDeps, 'orm' | 'logger'>,
): (params: unknown) => Promise<Logger> {
  const templates = new Map<string, string>();
  const instances = new InstanceRepository();

  const templateOf = async (instanceId: string): Promise<string | undefined> => {
    const known = templates.get(instanceId) ?? activityOrigin()?.templateKey;
    if (known !== undefined) return known;
    try {
      const row = await readWithin(instances.get(deps.orm.em.fork(), instanceId), LOOKUP_TIMEOUT_MS);
      if (row) remember(instanceId, row.templateKey);
      return row?.templateKey;
    } catch {
      return undefined;
    }
  };
  const remember = (instanceId: string, templateKey: string): void => {
    if (templates.size >= REMEMBERED_INSTANCES) templates.delete(templates.keys().next().value as string);
    templates.set(instanceId, templateKey);
  };

  return async (params) => {
    const ids = await activityLogIds(params, templateOf, remember);
    return ids ? deps.logger.child(ids) : deps.logger;
  };
}

async function activityLogIds(
  params: unknown,
  templateOf: (instanceId: string) => Promise<string | undefined>,
  remember: (instanceId: string, templateKey: string) => void,
): Promise<ActivityLogIds | null> {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    // Called outside an activity (a test calling the function directly): nothing to bind.
    return null;
  }
  const instanceId = info.workflowExecution?.workflowId;
  if (instanceId === undefined) return null;
  const given = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  let templateKey = typeof given['templateKey'] === 'string' ? given['templateKey'] : undefined;
  // Only an instance's own template: a call about another instance (a child's) names its template too.
  if (templateKey !== undefined && given['instanceId'] === instanceId) remember(instanceId, templateKey);
  if (templateKey === undefined || (typeof given['instanceId'] === 'string' && given['instanceId'] !== instanceId))
    templateKey = await templateOf(instanceId);
  const taskId = typeof given['taskId'] === 'string' ? given['taskId'] : undefined;
  return {
    instanceId,
    ...(templateKey !== undefined ? { templateKey } : {}),
    ...(taskId !== undefined ? { taskId } : {}),
    activity: info.activityType,
  };
}
