/**
 * Every role a user of the product can hold, and what each may do: the one place that names
 * them. Routes, the interpreter's task rules and the API's visibility checks ask
 * {@link hasRight}; nothing else compares role names. (The access issue turns grants of roles to
 * people and teams into data; the rights of a role stay here.)
 */
export const ROLES = {
  admin: 'Administers users, data and every process',
  designer: 'Writes and publishes process templates, surveys and the product catalogue',
  'sales-rep': 'Works own leads, customers, quotes and orders',
  'sales-manager': 'Leads a sales team (the reps whose manager they are) and approves quotes',
  finance: 'Approves large quotes',
  director: 'Approves the largest quotes',
  'support-lead': 'Leads the support agents; escalated tickets reach them',
  'technical-support': 'Answers technical tickets',
  'service-desk': 'Answers tickets no other queue takes',
  sales: 'Answers sales questions that arrive as tickets',
  'customer-relations': 'Answers complaints',
  'customer-relations-manager': 'Leads customer relations; red-alert complaints reach them',
  warehouse: 'Ships orders and receives purchased stock',
} as const;

export type Role = keyof typeof ROLES;

/** What a right allows, and the roles that hold it. */
export const RIGHTS = {
  /** Save drafts, validate and publish templates. */
  'templates.write': ['admin', 'designer'],
  /** Cancel a running instance. */
  'instances.cancel': ['admin', 'sales-manager'],
  /** See every task, whoever it is assigned to. */
  'tasks.see-all': ['admin'],
  /**
   * Hand a task assigned to someone else to another person: the interpreter accepts it from these
   * roles; the API lets a manager do it for tasks of their own team only.
   */
  'tasks.delegate-others': ['admin', 'sales-manager', 'support-lead', 'customer-relations-manager'],
  /** See every lead (a rep sees the leads they own). */
  'leads.see-all': ['admin', 'sales-manager'],
  /** Keep the leads one enters (they skip the assignment to somebody else). */
  'leads.own-entered': ['sales-rep'],
  /** Create users and change their roles. */
  'users.manage': ['admin'],
  /** Products, price tiers, suppliers and surveys. */
  'catalogue.write': ['admin', 'designer'],
  /** Warehouses and stock levels. */
  'stock.write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Right = keyof typeof RIGHTS;

export function hasRight(roles: readonly string[], right: Right): boolean {
  const holders: readonly string[] = RIGHTS[right];
  return roles.some((role) => holders.includes(role));
}

/** The roles that hold a right, for messages that tell a caller what they lack. */
export function holdersOf(right: Right): readonly Role[] {
  return RIGHTS[right];
}
