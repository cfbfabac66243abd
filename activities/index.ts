import type { EngineActivities } from '../contracts/engine';
import { bindActivities, catalogOf } from './activity-definition';
import { auditActivities } from './audit';
import { crmRuleActivities } from './crm/rule-activities';
import { leadActivities } from './crm/sales/leads';
import { orderActivities } from './crm/sales/orders';
import { quoteActivities } from './crm/sales/quotes';
import { serviceActivities } from './crm/service';
import type { ActivityDeps } from './deps';
import { engineActivities } from './engine';
import { customerLinkActivities } from './links/customer-link';
import { mailActivities } from './mail';
import { mailTemplateActivities } from './mail-templates';

/**
 * The one list of activities: every activity is one entry here (its definition lives in its
 * integration file). The worker's activity map and the catalog templates are checked against are
 * both built from it, so an activity cannot be registered without its contract or vice versa.
 */
export const ACTIVITY_DEFINITIONS = [
  ...mailActivities,
  ...mailTemplateActivities,
  ...auditActivities,
  ...engineActivities,
  ...crmRuleActivities,
  ...leadActivities,
  ...quoteActivities,
  ...orderActivities,
  ...serviceActivities,
  ...customerLinkActivities,
] as const;

/** Every activity a template may `call`, with its parameter and result schemas. */
export const ACTIVITY_CATALOG = catalogOf(ACTIVITY_DEFINITIONS);

/** The worker's activities, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return bindActivities(ACTIVITY_DEFINITIONS, deps);
}

/**
 * What workflows proxy. The interpreter calls the engine's activities by the signatures in
 * contracts/engine.ts, so this type does not compile if a definition drifts from them.
 */
export type Activities = ImplementsEngineActivities<ReturnType<typeof createActivities>>;
type ImplementsEngineActivities<T extends EngineActivities> = T;
export type { ActivityDeps };
