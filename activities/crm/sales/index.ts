import type { ActivityDeps } from '../../deps';
import { createLeadActivities } from './leads';
import { createLeadOwnerActivities } from './lead-owners';
import { createOrderActivities } from './orders';
import { createPurchasingActivities } from './purchasing';
import { createShipmentActivities } from './shipments';
import { createStockActivities } from './stock';

export { CRM_SALES_CATALOG } from './catalog';

/** The CRM sales activities: leads, quotes, orders, stock, shipments and purchasing, on PostgreSQL. */
export function createCrmSalesActivities(deps: ActivityDeps) {
  return {
    ...createLeadOwnerActivities(deps),
    ...createLeadActivities(deps),
    ...createOrderActivities(deps),
    ...createStockActivities(deps),
    ...createShipmentActivities(deps),
    ...createPurchasingActivities(deps),
  };
}
