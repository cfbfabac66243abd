import type { ActivityDeps } from '../../deps';
import { createLeadActivities } from './leads';
import { createLeadOwnerActivities } from './lead-owners';
import { createQuoteActivities } from './quotes';
import { createQuotePricingActivities } from './quote-pricing';

export { CRM_SALES_CATALOG } from './catalog';

/** The CRM sales activities: leads and quotes, on PostgreSQL (orders: CRM_ORDER_ACTIVITIES in ./orders). */
export function createCrmSalesActivities(deps: ActivityDeps) {
  return {
    ...createLeadOwnerActivities(deps),
    ...createLeadActivities(deps),
    ...createQuotePricingActivities(deps),
    ...createQuoteActivities(deps),
  };
}
