import { ApplicationFailure } from '@temporalio/activity';
import { TemplateRegistry } from '../../db/repositories';
import type { ActivityDeps } from '../deps';
import type { ResolveTemplateParams, ResolveTemplateResult } from '../engine-contracts';

export function createTemplateActivities(deps: ActivityDeps) {
  const templates = new TemplateRegistry();
  return {
    /** The newest published plan of a template, for a `process` step's child instance. */
    async 'engine.resolveTemplate'(params: ResolveTemplateParams): Promise<ResolveTemplateResult> {
      const latest = await templates.latest(deps.orm.em.fork(), params.key);
      if (!latest) {
        throw ApplicationFailure.create({ type: 'template.not-found', message: `no published template '${params.key}'`, nonRetryable: true });
      }
      return latest.plan;
    },
  };
}
