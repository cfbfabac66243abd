import { ApplicationFailure } from '@temporalio/activity';
import { TemplateRegistry } from '../../db/repositories';
import { defineEngineActivity } from '../activity-definition';
import type { ResolveTemplateParams, ResolveTemplateResult } from '../../contracts/engine';

/** The newest published plan of a template, for a `process` step's child instance. */
export const resolveTemplateActivity = defineEngineActivity({
  name: 'engine.resolveTemplate',
  async run(params: ResolveTemplateParams, deps): Promise<ResolveTemplateResult> {
    const latest = await new TemplateRegistry().latest(deps.orm.em.fork(), params.key);
    if (!latest) {
      throw ApplicationFailure.create({
        type: 'template.not-found',
        message: `no published template '${params.key}'`,
        nonRetryable: true,
      });
    }
    return latest.plan;
  },
});
