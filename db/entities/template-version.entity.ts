import { defineEntity, p } from '@mikro-orm/postgresql';
import type { ProcessPlan } from '../../dsl/plan';

/**
 * A published, immutable template version; the plan is stored compiled, with its version and
 * hash filled in. One content may stand at several versions (a rollback publishes an older
 * content again as the newest), never at two consecutive ones.
 */
export const TemplateVersionSchema = defineEntity({
  name: 'TemplateVersion',
  tableName: 'template_version',
  properties: {
    key: p.text().primary(),
    version: p.integer().primary(),
    hash: p.text(),
    source: p.text(),
    plan: p.json<ProcessPlan>(),
    publishedAt: p.datetime(),
    publishedBy: p.text(),
  },
});

export class TemplateVersion extends TemplateVersionSchema.class {}
TemplateVersionSchema.setClass(TemplateVersion);
