import type { ActivityDeps } from '../../deps';
import { createLeadActivities } from './leads';
import { createLeadOwnerActivities } from './lead-owners';

export { CRM_SALES_CATALOG } from './catalog';

/** The CRM lead activities, on PostgreSQL. */
export function createCrmSalesActivities(deps: ActivityDeps) {
  return {
    ...createLeadOwnerActivities(deps),
    ...createLeadActivities(deps),
  };
}
