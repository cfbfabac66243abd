import { InstanceRepository } from '../../db/repositories';
import { defineEngineActivity } from '../activity-definition';
import type { ProjectInstanceParams, ProjectInstanceResult } from '../../contracts/engine';

/** The instance row and its timeline, written by the interpreter as one local activity per flush. */
export const projectInstanceActivity = defineEngineActivity({
  name: 'engine.projectInstance',
  async run(params: ProjectInstanceParams, deps): Promise<ProjectInstanceResult> {
    return new InstanceRepository().project(deps.orm.em.fork(), params, (deps.now ?? (() => new Date()))());
  },
});
