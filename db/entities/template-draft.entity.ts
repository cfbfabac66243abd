import { defineEntity, p } from '@mikro-orm/postgresql';

/** The editable YAML of a template: one per key, overwritten on every save. */
export const TemplateDraftSchema = defineEntity({
  name: 'TemplateDraft',
  tableName: 'template_draft',
  properties: {
    key: p.text().primary(),
    /** The template's display name when the caller knew it (compiled drafts); null otherwise. */
    name: p.text().nullable(),
    source: p.text(),
    updatedAt: p.datetime(),
    updatedBy: p.text(),
  },
});

export class TemplateDraft extends TemplateDraftSchema.class {}
TemplateDraftSchema.setClass(TemplateDraft);
