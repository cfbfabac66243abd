import { defineEntity, p } from '@mikro-orm/postgresql';
import type { ProcessPlan } from '../../dsl/plan';

/**
 * A published, immutable template version. `(key, hash)` is unique, so the same content is
 * never published twice; the plan is stored compiled, with its version and hash filled in.
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
  uniques: [{ properties: ['key', 'hash'] }],
});

export class TemplateVersion extends TemplateVersionSchema.class {}
TemplateVersionSchema.setClass(TemplateVersion);
