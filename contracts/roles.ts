/**
 * Every role a user of the product can hold, and what each may do: the one place that names
 * them. Routes declare the right they need in their options (`config: { permission }`, checked by
 * the auth plugin before any validation); record scoping, the interpreter's task rules and the
 * API's visibility checks ask {@link hasRight}; nothing else compares role names. Who holds which
 * role (and the team and region a person belongs to) is data on the user, changed by admins
 * through the API; what a role may do is code, here, so that it is reviewed like code.
 */
export const ROLES = {
  admin: 'Administers users, data and every process',
  designer: 'Writes and publishes process templates, surveys and the product catalogue',
  'sales-rep': 'Works own leads, customers, opportunities, quotes and orders',
  'sales-manager': "Leads a sales team (the reps whose manager they are, and the manager's region); approves quotes",
  finance: 'Approves large quotes; sees amounts of every quote and order, never contact details',
  director: 'Approves the largest quotes; sees every sales record',
  'support-agent': 'Answers tickets of any queue',
  'support-lead': 'Leads the support agents; escalated tickets reach them',
  'technical-support': 'Answers technical tickets',
  'service-desk': 'Answers tickets no other queue takes',
  sales: 'Answers sales questions that arrive as tickets',
  'customer-relations': 'Answers complaints and follows up surveys',
  'customer-relations-manager': 'Leads customer relations; red-alert complaints reach them',
  warehouse: 'Ships orders, receives purchased stock, keeps stock levels',
  auditor: 'Reads the audit trail and every process instance, changes nothing',
  system: 'Another system calling with an API key; narrowed further by the key’s scopes',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** Roles of people (everything but `system`): who works an inbox. */
const PEOPLE = ROLE_NAMES.filter((role) => role !== 'system');
/** Roles that answer tickets. */
const SUPPORT = [
  'support-agent',
  'support-lead',
  'technical-support',
  'service-desk',
  'sales',
  'customer-relations',
  'customer-relations-manager',
] as const satisfies readonly Role[];
const SALES = ['sales-rep', 'sales-manager'] as const satisfies readonly Role[];

/**
 * What a right allows, and the roles that hold it. Rights named `<records>.read` / `.write` are
 * what routes declare; `<records>.see-all` and `<records>.see-team` widen a reader's scope from
 * the records they own to every record or their team's (api/access/record-scope.ts); without
 * either a reader sees what they own.
 */
export const RIGHTS = {
  /** Read templates, their drafts, versions and compiled plans. */
  'templates.read': ['admin', 'designer', 'auditor', 'system'],
  /** Save drafts, validate and publish templates. */
  'templates.write': ['admin', 'designer'],

  /** Read instances and timelines of the business records one may see. */
  'instances.read': ROLE_NAMES,
  /** Read every instance, whatever its business record. */
  'instances.see-all': ['admin', 'auditor'],
  /**
   * Start any template by POST /instances. Others start only the templates {@link TEMPLATE_STARTERS}
   * names for a role of theirs; a system key only those its scope lists.
   */
  'instances.start-any': ['admin'],
  /** Send any event into an instance one may see (systems: the events their key's scope lists). */
  'instances.signal': ['admin', 'system'],
  /** Cancel a running instance one may see (one by one or in bulk). */
  'instances.cancel': ['admin', 'sales-manager'],
  /**
   * Retry the failing activities of an instance's incident now (Temporal's ResetActivity): an
   * operator's act after fixing the cause (a mail relay, a record), so admins only.
   */
  'instances.retry': ['admin'],
  /**
   * Change the variables of an instance held in incident before retrying its step (the fix for
   * a value an expression could not use): an operator's act, audited, so admins only.
   */
  'instances.edit-variables': ['admin'],
  /**
   * Watch processes in the web app (the Instances page): operators and managers. Every role may
   * read the instances of its own records (`instances.read`), but a rep does not need a console.
   */
  'instances.monitor': ['admin', 'auditor', 'director', 'sales-manager', 'support-lead', 'customer-relations-manager'],

  /** Work an inbox: list, claim, complete and delegate one's own tasks. */
  'tasks.work': PEOPLE,
  /** See every task, whoever it is assigned to. */
  'tasks.see-all': ['admin', 'auditor'],
  /**
   * Hand a task assigned to someone else to another person: the interpreter accepts it from these
   * roles; the API lets a manager do it for tasks of their own team only.
   */
  'tasks.delegate-others': ['admin', 'sales-manager', 'support-lead', 'customer-relations-manager'],

  /** Look people up (the delegate picker, owners). */
  'users.read': ROLE_NAMES,
  /** Create users, grant roles, set teams and regions, revoke sessions and API keys. */
  'users.manage': ['admin'],
  /** Read and verify the audit trail. */
  'audit.read': ['admin', 'auditor'],
  /**
   * Scrape GET /metrics (Prometheus): admins, and `system` keys whose scope reads `metrics` (the
   * monitoring system's key). Counts per template and queue, never a record's content.
   */
  'metrics.read': ['admin', 'system'],
  /** Subscribe URLs to instance and task events: they receive process data, so admins only. */
  'webhooks.manage': ['admin'],

  'customers.read': ['admin', ...SALES, 'finance', 'director', ...SUPPORT, 'system'],
  'customers.write': ['admin', ...SALES, 'system'],
  'customers.see-all': ['admin', 'finance', 'director', ...SUPPORT, 'system'],
  'customers.see-team': ['sales-manager'],
  /** Field-level: contact people, e-mail addresses and phone numbers. Without it they are left out. */
  'contacts.read': ['admin', ...SALES, 'director', ...SUPPORT, 'system'],

  'leads.read': ['admin', ...SALES, 'director', 'system'],
  'leads.write': ['admin', ...SALES, 'system'],
  'leads.see-all': ['admin', 'director', 'system'],
  'leads.see-team': ['sales-manager'],
  /** Keep the leads one enters (they skip the assignment to somebody else). */
  'leads.own-entered': ['sales-rep'],

  'opportunities.read': ['admin', ...SALES, 'director', 'finance', 'system'],
  'opportunities.write': ['admin', ...SALES, 'system'],
  'opportunities.see-all': ['admin', 'director', 'finance', 'system'],
  'opportunities.see-team': ['sales-manager'],

  'quotes.read': ['admin', ...SALES, 'finance', 'director', 'system'],
  'quotes.write': ['admin', ...SALES, 'system'],
  'quotes.see-all': ['admin', 'finance', 'director', 'system'],
  'quotes.see-team': ['sales-manager'],

  'orders.read': ['admin', ...SALES, 'finance', 'director', 'warehouse', 'system'],
  'orders.write': ['admin', ...SALES, 'system'],
  'orders.see-all': ['admin', 'finance', 'director', 'warehouse', 'system'],
  'orders.see-team': ['sales-manager'],
  /** Report what happened to an order's goods (stock received, delivery confirmed): the process takes it as fact. */
  'orders.report-delivery': ['admin', 'warehouse', 'system'],

  /** The product catalogue and price tiers (everyone quotes or ships from it). */
  'products.read': ROLE_NAMES,
  /** Products, price tiers, suppliers. */
  'catalogue.write': ['admin', 'designer'],
  'suppliers.read': ['admin', 'designer', 'warehouse', 'finance', 'system'],

  'stock.read': ['admin', 'warehouse', ...SALES, 'system'],
  /** Warehouses and stock levels. */
  'stock.write': ['admin', 'warehouse'],
  /** Shipment notes and purchase requests. */
  'fulfilment.read': ['admin', 'warehouse', 'finance', 'system'],
  /** Book a purchase request's goods into stock. */
  'fulfilment.write': ['admin', 'warehouse', 'system'],

  'tickets.read': ['admin', ...SUPPORT, 'system'],
  'tickets.write': ['admin', ...SUPPORT, 'system'],

  'surveys.read': ['admin', 'designer', 'customer-relations', 'customer-relations-manager', 'system'],
  /** Define surveys. */
  'surveys.write': ['admin', 'designer'],
  /** Invite a customer to a survey (starts the reminder process). */
  'surveys.invite': ['admin', 'customer-relations', 'customer-relations-manager', 'system'],
  /** Record a customer's answer (customers answer through their mail's link; systems relay answers). */
  'surveys.respond': ['admin', 'system'],
} as const satisfies Record<string, readonly Role[]>;

export type Right = keyof typeof RIGHTS;

/**
 * What a route needs: a right, any signed-in principal (`authenticated`: the route scopes the
 * answer to the caller, like /auth/me), or nothing (`public`: health, docs, sign-in).
 */
export type Permission = Right | 'authenticated' | 'public';

/**
 * Who may start each built-in template by POST /instances (most start from their business event:
 * a new lead, quote, order, ticket or survey invitation). A template not named here is started
 * only by holders of `instances.start-any` and by system keys whose scope names it.
 */
export const TEMPLATE_STARTERS: Readonly<Record<string, readonly Role[]>> = {
  'lead-assignment': SALES,
  'quote-approval': SALES,
  'order-fulfilment': ['sales-manager'],
  'ticket-escalation': ['support-lead', 'customer-relations-manager'],
  'survey-reminders': ['customer-relations-manager'],
};

export function hasRight(roles: readonly string[], right: Right): boolean {
  const holders: readonly string[] = RIGHTS[right];
  return roles.some((role) => holders.includes(role));
}

/** The roles that hold a right, for messages that tell a caller what they lack. */
export function holdersOf(right: Right): readonly Role[] {
  return RIGHTS[right];
}

export function isRight(name: string): name is Right {
  return Object.hasOwn(RIGHTS, name);
}

export function isRole(name: string): name is Role {
  return Object.hasOwn(ROLES, name);
}

/** Whether a role of these may start the template by POST /instances (system keys: see their scope). */
export function mayStartTemplate(roles: readonly string[], templateKey: string): boolean {
  if (hasRight(roles, 'instances.start-any')) return true;
  const starters: readonly string[] = TEMPLATE_STARTERS[templateKey] ?? [];
  return roles.some((role) => starters.includes(role));
}
