import { Type, type Static } from 'typebox';
import { Cents, Email, Id, IsoDate, Phone, Text } from '../fields/field-schemas';

/*
 * A lead and an opportunity, written once: the records as the API and the activities return them,
 * the inputs that create and change them, and the parameters and results of the lead activities.
 */

const NullableText = Type.Union([Type.String(), Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
/** Activities have always taken ids up to 200 characters; the API's inputs take 100. */
const LeadRef = Type.String({ minLength: 1, maxLength: 200 });

export const LeadStatus = Type.Enum(['new', 'contacted', 'qualified', 'disqualified']);
export type LeadStatus = Static<typeof LeadStatus>;

export const OpportunityStage = Type.Enum(['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost']);
export type OpportunityStage = Static<typeof OpportunityStage>;

export const LeadNote = Type.Object({ at: Type.String(), by: NullableText, text: Type.String() });
/** A stored note; the sales activities add a `key` that makes their note once-only (not shown by the API). */
export type LeadNote = Static<typeof LeadNote> & { key?: string };

const leadFields = {
  id: Type.String(),
  source: Type.String(),
  company: Type.String(),
  contactName: Type.String(),
  email: NullableText,
  phone: NullableText,
  region: NullableText,
  productInterest: NullableText,
  estimatedValueCents: Type.Union([Cents, Type.Null()]),
  status: LeadStatus,
  ownerId: NullableText,
  customerId: NullableText,
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
// The records stay open so a column added later reaches clients without a schema change.
export const Lead = Type.Object(leadFields, { additionalProperties: true, description: 'A sales lead.' });
export type Lead = Static<typeof Lead>;
export const LeadWithNotes = Type.Object(
  { ...leadFields, notes: Type.Array(LeadNote) },
  {
    additionalProperties: true,
    description: 'A sales lead with its notes.',
  },
);
export type LeadWithNotes = Static<typeof LeadWithNotes>;

/** A lead as the lead activities return it. */
export const LeadSummary = Type.Pick(Lead, [
  'id',
  'company',
  'contactName',
  'email',
  'region',
  'productInterest',
  'estimatedValueCents',
  'status',
]);
export type LeadSummary = Static<typeof LeadSummary>;

export const Opportunity = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    leadId: NullableText,
    name: NullableText,
    stage: OpportunityStage,
    probability: Type.Integer({ minimum: 0, maximum: 100 }),
    amountCents: Type.Integer(),
    ownerId: NullableText,
    expectedCloseDate: NullableText,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: true, description: 'A sales opportunity.' },
);
export type Opportunity = Static<typeof Opportunity>;

/** A new sales lead (starts lead assignment). */
export const CreateLeadInput = Type.Object(
  {
    source: Text(100),
    company: Text(),
    contactName: Text(),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    region: Type.Optional(Text(100)),
    productInterest: Type.Optional(Text(100)),
    estimatedValueCents: Type.Optional(Cents),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type CreateLeadInput = Static<typeof CreateLeadInput>;

/** What a list of leads can be narrowed by (plain text: an unknown status finds nothing). */
export const LeadListFilters = {
  status: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  ownerId: Type.Optional(Type.String({ description: 'Managers and admins only; sales reps always see their own.' })),
};

export const CreateOpportunityInput = Type.Object(
  {
    customerId: Id,
    leadId: Type.Optional(Id),
    name: Type.Optional(Text()),
    stage: Type.Optional(OpportunityStage),
    probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    amountCents: Type.Optional(Cents),
    expectedCloseDate: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type CreateOpportunityInput = Static<typeof CreateOpportunityInput>;

export const UpdateOpportunityStageInput = Type.Object(
  {
    stage: OpportunityStage,
    probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Defaults from the stage' })),
  },
  { additionalProperties: false },
);
export type UpdateOpportunityStageInput = Static<typeof UpdateOpportunityStageInput>;

export const OpportunityListFilters = {
  stage: Type.Optional(Type.String()),
  customerId: Type.Optional(Type.String()),
  ownerId: Type.Optional(Type.String()),
};

export const LeadOwner = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  locale: Type.Enum(['zh-CN', 'en'], { description: "The owner's mail locale (attributes.locale, default en)" }),
});
export type LeadOwner = Static<typeof LeadOwner>;

export const LeadAssignment = Type.Object({
  outcome: Type.Enum(['assigned', 'fallback'], {
    description: "fallback: no rep fits; the lead waits unowned in the manager's queue",
  }),
  reason: Type.String(),
  lead: LeadSummary,
  owner: Type.Object(LeadOwner.properties, {
    description: "The rep who owns the lead, or on fallback the region's manager",
  }),
  queueRole: Type.Union([Type.String(), Type.Null()], {
    description: "On fallback the policy's managerRole; null when assigned",
  }),
});
export type LeadAssignment = Static<typeof LeadAssignment>;

export const RecordLeadContactParams = Type.Object(
  {
    leadId: LeadRef,
    actorId: Type.String({ minLength: 1 }),
    note: Type.Optional(Type.String({ maxLength: 10_000 })),
    noteKey: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The note is appended once per key (e.g. the task id)',
    }),
  },
  { additionalProperties: false },
);
export type RecordLeadContactParams = Static<typeof RecordLeadContactParams>;

export const LeadStatusResult = Type.Object({ leadId: Type.String(), status: LeadStatus });
export type LeadStatusResult = Static<typeof LeadStatusResult>;

export const QualifyLeadParams = Type.Object(
  {
    leadId: LeadRef,
    actorId: Type.String({ minLength: 1 }),
    opportunityName: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    amountCents: Type.Optional(Type.Integer({ minimum: 0, description: "Defaults to the lead's estimated value" })),
    stage: Type.Optional(OpportunityStage),
    probability: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Defaults by stage' })),
    note: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type QualifyLeadParams = Static<typeof QualifyLeadParams>;

export const QualifiedLead = Type.Object({
  leadId: Type.String(),
  customerId: Type.String(),
  contactId: Type.String(),
  opportunityId: Type.String(),
});
export type QualifiedLead = Static<typeof QualifiedLead>;

export const DisqualifyLeadParams = Type.Object(
  {
    leadId: LeadRef,
    actorId: Type.String({ minLength: 1 }),
    reason: Type.String({ minLength: 1, maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
export type DisqualifyLeadParams = Static<typeof DisqualifyLeadParams>;
