import { bindActivities } from './activity-definition';
import type { ActivityDeps } from './deps';
import { createAuditActivities } from './audit';
import { createCrmRuleActivities } from './crm/rule-activities';
import { createCrmSalesActivities } from './crm/sales';
import { CRM_LEAD_ACTIVITIES } from './crm/sales/leads';
import { createCrmServiceActivities } from './crm/service';
import { createEngineActivities } from './engine';
import { createMailActivities } from './mail';
import { createMailTemplateActivities } from './mail-templates';

/** The one activity registry: every activity a workflow may call, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
    ...createMailActivities(deps),
    ...createMailTemplateActivities(deps),
    ...createEngineActivities(deps),
    ...createCrmRuleActivities(),
    ...createCrmSalesActivities(deps),
    ...bindActivities(CRM_LEAD_ACTIVITIES, deps),
    ...createCrmServiceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
