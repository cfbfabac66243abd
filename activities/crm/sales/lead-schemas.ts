import { Type, type Static } from 'typebox';
import { LeadAssignmentPolicy } from '../rules/lead-assignment';

/* Parameters and results of the lead activities (leads.ts, lead-assignment.ts). */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const NullableText = Type.Union([Type.String(), Type.Null()]);

export const LeadStatus = Type.Enum(['new', 'contacted', 'qualified', 'disqualified']);
export const OpportunityStage = Type.Enum(['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost']);
export type OpportunityStage = Static<typeof OpportunityStage>;

export const AssignLeadParams = Type.Object({
  leadId: Id,
  policy: Type.Optional(LeadAssignmentPolicy),
}, { additionalProperties: false });
export type AssignLeadParams = Static<typeof AssignLeadParams>;

export const ReassignLeadParams = Type.Object({
  leadId: Id,
  fromOwnerId: Type.String({ minLength: 1, description: 'The rep the lead is taken from (e.g. who let it go stale)' }),
  policy: Type.Optional(LeadAssignmentPolicy),
}, { additionalProperties: false });
export type ReassignLeadParams = Static<typeof ReassignLeadParams>;

export const LeadSummary = Type.Object({
  id: Type.String(),
  company: Type.String(),
  contactName: Type.String(),
  email: NullableText,
  region: NullableText,
  productInterest: NullableText,
  estimatedValueCents: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  status: LeadStatus,
});
export type LeadSummary = Static<typeof LeadSummary>;

export const LeadOwner = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  locale: Type.Enum(['zh-CN', 'en'], { description: 'The owner\'s mail locale (attributes.locale, default en)' }),
});
export type LeadOwner = Static<typeof LeadOwner>;

export const LeadAssignment = Type.Object({
  outcome: Type.Enum(['assigned', 'fallback'], { description: 'fallback: no rep fits; the lead waits unowned in the manager\'s queue' }),
  reason: Type.String(),
  lead: LeadSummary,
  owner: Type.Object(LeadOwner.properties, { description: 'The rep who owns the lead, or on fallback the region\'s manager' }),
  queueRole: Type.Union([Type.String(), Type.Null()], { description: 'On fallback the policy\'s managerRole; null when assigned' }),
});
export type LeadAssignment = Static<typeof LeadAssignment>;

export const RecordLeadContactParams = Type.Object({
  leadId: Id,
  actorId: Type.String({ minLength: 1 }),
  note: Type.Optional(Type.String({ maxLength: 10_000 })),
  noteKey: Type.String({ minLength: 1, maxLength: 200, description: 'The note is appended once per key (e.g. the task id)' }),
}, { additionalProperties: false });
export type RecordLeadContactParams = Static<typeof RecordLeadContactParams>;

export const LeadStatusResult = Type.Object({ leadId: Type.String(), status: LeadStatus });
export type LeadStatusResult = Static<typeof LeadStatusResult>;

export const QualifyLeadParams = Type.Object({
  leadId: Id,
  actorId: Type.String({ minLength: 1 }),
  opportunityName: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  amountCents: Type.Optional(Type.Integer({ minimum: 0, description: 'Defaults to the lead\'s estimated value' })),
  stage: Type.Optional(OpportunityStage),
  probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Defaults by stage' })),
  note: Type.Optional(Type.String({ maxLength: 10_000 })),
}, { additionalProperties: false });
export type QualifyLeadParams = Static<typeof QualifyLeadParams>;

export const QualifiedLead = Type.Object({
  leadId: Type.String(),
  customerId: Type.String(),
  contactId: Type.String(),
  opportunityId: Type.String(),
});
export type QualifiedLead = Static<typeof QualifiedLead>;

export const DisqualifyLeadParams = Type.Object({
  leadId: Id,
  actorId: Type.String({ minLength: 1 }),
  reason: Type.String({ minLength: 1, maxLength: 10_000 }),
}, { additionalProperties: false });
export type DisqualifyLeadParams = Static<typeof DisqualifyLeadParams>;
