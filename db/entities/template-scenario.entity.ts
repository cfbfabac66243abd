import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * A dry-run scenario saved with a template (contracts/dry-run.ts `DryRunScenario`): the studio
 * re-runs every one of a template's scenarios after each edit.
 */
export const TemplateScenarioSchema = defineEntity({
  name: 'TemplateScenario',
  tableName: 'template_scenario',
  properties: {
    key: p.text().primary(),
    name: p.text().primary(),
    scenario: p.json<Record<string, unknown>>(),
    updatedBy: p.text(),
    updatedAt: p.datetime(),
  },
});

export class TemplateScenario extends TemplateScenarioSchema.class {}
TemplateScenarioSchema.setClass(TemplateScenario);
