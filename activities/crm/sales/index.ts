import type { ActivityDeps } from '../../deps';
import { createOrderActivities } from './orders';
import { createPurchasingActivities } from './purchasing';
import { createQuoteActivities } from './quotes';
import { createQuotePricingActivities } from './quote-pricing';
import { createShipmentActivities } from './shipments';
import { createStockActivities } from './stock';

export { CRM_SALES_CATALOG } from './catalog';

/** The CRM sales activities: leads, quotes, orders, stock, shipments and purchasing, on PostgreSQL. */
export function createCrmSalesActivities(deps: ActivityDeps) {
  return {
    ...createQuotePricingActivities(deps),
    ...createQuoteActivities(deps),
    ...createOrderActivities(deps),
    ...createStockActivities(deps),
    ...createShipmentActivities(deps),
    ...createPurchasingActivities(deps),
  };
}
