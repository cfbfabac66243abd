import { Context } from '@temporalio/activity';
import { InstanceRepository } from '../../db/repositories';
import { defineEngineActivity } from '../activity-definition';
import type { ProjectInstanceParams, ProjectInstanceResult } from '../../contracts/engine';

/**
 * The instance row and its timeline, written by the interpreter as one local activity per flush.
 * The run id comes from the activity's context, not the params, so the row follows a reset or
 * continue-as-new without a change to workflow code.
 */
export const projectInstanceActivity = defineEngineActivity({
  name: 'engine.projectInstance',
  async run(params: ProjectInstanceParams, deps): Promise<ProjectInstanceResult> {
    const runId = Context.current().info.workflowExecution?.runId;
    return new InstanceRepository().project(deps.orm.em.fork(), params, (deps.now ?? (() => new Date()))(), runId);
  },
});
