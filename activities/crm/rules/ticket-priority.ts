import { Type, type Static, type TSchema } from 'typebox';
import { checkRuleData } from './check-rule-data';
import { TicketCategory } from './classify-ticket';

export const CustomerGrade = Type.Enum(['VIP', 'A', 'B', 'C']);
export type CustomerGrade = Static<typeof CustomerGrade>;

/** Lowest to highest: the order is the meaning, so comparisons go through `PRIORITY_RANK`. */
export const TicketPriorityLevel = Type.Enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriorityLevel = Static<typeof TicketPriorityLevel>;
const PRIORITY_RANK: Record<TicketPriorityLevel, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

const Role = Type.String({ minLength: 1 });
const ByGrade = Type.Object(
  { VIP: TicketPriorityLevel, A: TicketPriorityLevel, B: TicketPriorityLevel, C: TicketPriorityLevel },
  { additionalProperties: false },
);
const ByCategory = <T extends TSchema>(value: T) =>
  Type.Object({ technical: value, sales: value, complaint: value, other: value }, { additionalProperties: false });

export const TicketPriorityInput = Type.Object(
  {
    category: TicketCategory,
    customerGrade: CustomerGrade,
    severityHint: Type.Optional(TicketPriorityLevel),
  },
  { additionalProperties: false },
);
export type TicketPriorityInput = Static<typeof TicketPriorityInput>;

export const TicketPriorityPolicy = Type.Object(
  {
    matrix: ByCategory(ByGrade),
    // A severity hint may raise the priority up to this level, never lower it.
    hintCeiling: TicketPriorityLevel,
    routes: ByCategory(Role),
    escalations: Type.Array(
      Type.Object(
        {
          category: TicketCategory,
          minPriority: TicketPriorityLevel,
          routeTo: Role,
        },
        { additionalProperties: false },
      ),
      { description: 'First match wins over `routes`, e.g. serious complaints to the customer-relations manager' },
    ),
    redAlerts: Type.Array(
      Type.Object({ category: TicketCategory, customerGrade: CustomerGrade }, { additionalProperties: false }),
    ),
    redAlertRouteTo: Role,
  },
  { additionalProperties: false },
);
export type TicketPriorityPolicy = Static<typeof TicketPriorityPolicy>;

export const TicketPriority = Type.Object({ priority: TicketPriorityLevel, redAlert: Type.Boolean(), routeTo: Role });
export type TicketPriority = Static<typeof TicketPriority>;

/**
 * Priority from category × customer grade, raised (never lowered) by a severity hint up to the
 * policy's ceiling: the hint comes from the customer or the first agent, so it is trusted only so
 * far. A red-alert pair (VIP complaint in the defaults) is urgent whatever the matrix says and goes
 * straight to the red-alert role; otherwise the first escalation whose category and minimum
 * priority match picks the role, and failing that the category's route.
 */
export function ticketPriority(input: TicketPriorityInput, policy: TicketPriorityPolicy): TicketPriority {
  checkRuleData(TicketPriorityInput, input, 'rule.invalid-input', 'ticket');
  checkRuleData(TicketPriorityPolicy, policy, 'rule.invalid-policy', 'ticket priority policy');
  const { category, customerGrade, severityHint } = input;
  const redAlert = policy.redAlerts.some((pair) => pair.category === category && pair.customerGrade === customerGrade);
  if (redAlert) return { priority: 'urgent', redAlert: true, routeTo: policy.redAlertRouteTo };
  const base = policy.matrix[category][customerGrade];
  const hinted = severityHint ? lower(severityHint, policy.hintCeiling) : base;
  const priority = higher(base, hinted);
  const escalation = policy.escalations.find(
    (rule) => rule.category === category && PRIORITY_RANK[priority] >= PRIORITY_RANK[rule.minPriority],
  );
  return { priority, redAlert: false, routeTo: escalation?.routeTo ?? policy.routes[category] };
}

function higher(a: TicketPriorityLevel, b: TicketPriorityLevel): TicketPriorityLevel {
  return PRIORITY_RANK[a] >= PRIORITY_RANK[b] ? a : b;
}

function lower(a: TicketPriorityLevel, b: TicketPriorityLevel): TicketPriorityLevel {
  return PRIORITY_RANK[a] <= PRIORITY_RANK[b] ? a : b;
}
