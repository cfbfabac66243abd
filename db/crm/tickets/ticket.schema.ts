import { Type, type Static, type TSchema } from 'typebox';
import { CustomerGrade, CustomerLocale, Email, Id, Phone, Text } from '../fields/field-schemas';

/*
 * A service ticket, written once: its enumerations, the record the API and the activities return,
 * the API's inputs and the contracts of the ticket activities.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
// A zone is required: "2025-03-01T09:00" means a different instant on every server.
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 date-time with Z or an offset',
});

export const TicketCategory = Type.Enum(['technical', 'sales', 'complaint', 'other']);
export type TicketCategory = Static<typeof TicketCategory>;
export const TicketPriority = Type.Enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriority = Static<typeof TicketPriority>;
export const TicketStatus = Type.Enum(['open', 'acknowledged', 'in-progress', 'resolved', 'closed', 'reopened']);
export type TicketStatus = Static<typeof TicketStatus>;

export const TicketRecord = Type.Object(
  {
    id: Type.String(),
    customerId: Nullable(Type.String()),
    contactId: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'The contact who reported it; omitted for roles without contacts.read',
      }),
    ),
    subject: Type.String(),
    body: Type.String(),
    category: TicketCategory,
    priority: TicketPriority,
    status: TicketStatus,
    queue: Nullable(Type.String()),
    assigneeId: Nullable(Type.String()),
    redAlert: Type.Boolean(),
    responseDueAt: Nullable(Timestamp),
    resolutionDueAt: Nullable(Timestamp),
    respondedAt: Nullable(Timestamp),
    resolvedAt: Nullable(Timestamp),
    closedAt: Nullable(Timestamp),
    resolution: Nullable(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: true, description: 'A service ticket.' },
);
export type TicketRecord = Static<typeof TicketRecord>;

/** A service request or complaint (starts ticket handling). */
export const CreateTicketInput = Type.Object(
  {
    customerId: Type.Optional(Id),
    contactEmail: Type.Optional(Email),
    contactPhone: Type.Optional(Phone),
    subject: Text(),
    body: Type.String({ maxLength: 20000 }),
    category: Type.Optional(TicketCategory),
    priority: Type.Optional(TicketPriority),
  },
  { additionalProperties: false },
);
export type CreateTicketInput = Static<typeof CreateTicketInput>;

export const ReopenTicketInput = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

/* The ticket activities' parameters and results (activities/crm/service/tickets.ts). */

const TicketId = Type.String({ minLength: 1, maxLength: 200 });
const ActorId = Type.String({ minLength: 1, maxLength: 200, description: 'Who did it: a user id or `system`' });

export const TicketRef = Type.Object({ ticketId: TicketId }, { additionalProperties: false });
export type TicketRef = Static<typeof TicketRef>;

export const LoadedTicket = Type.Object({
  ticket: Type.Evaluate(
    Type.Intersect([
      Type.Pick(TicketRecord, ['id', 'subject', 'body']),
      Type.Object({ text: Type.String({ description: 'Subject and body on two lines, for crm.classifyTicket' }) }),
      Type.Pick(TicketRecord, ['status', 'category', 'priority', 'assigneeId']),
      Type.Object({ openedAt: Type.String({ description: 'ISO 8601, UTC' }) }),
    ]),
  ),
  customer: Nullable(
    Type.Object({ id: Type.String(), name: Type.String(), grade: CustomerGrade, locale: CustomerLocale }),
  ),
  contactEmail: Nullable(
    Type.String({
      description: "The ticket's contact, else the customer's primary contact, else any contact with an e-mail",
    }),
  ),
  locale: CustomerLocale,
  customerGrade: CustomerGrade,
});
export type LoadedTicket = Static<typeof LoadedTicket>;

export const UpdateTicketParams = Type.Object(
  {
    ticketId: TicketId,
    category: Type.Optional(TicketCategory),
    priority: Type.Optional(TicketPriority),
    redAlert: Type.Optional(Type.Boolean()),
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    responseDueAt: Type.Optional(Instant),
    resolutionDueAt: Type.Optional(Instant),
    status: Type.Optional(TicketStatus),
  },
  { additionalProperties: false },
);
export type UpdateTicketParams = Static<typeof UpdateTicketParams>;

export const UpdatedTicket = Type.Object({
  ticketId: Type.String(),
  status: TicketStatus,
  priority: TicketPriority,
  category: TicketCategory,
});
export type UpdatedTicket = Static<typeof UpdatedTicket>;

export const AssignTicketParams = Type.Object(
  {
    ticketId: TicketId,
    role: Type.String({ minLength: 1, description: 'e.g. technical-support, sales, customer-relations, service-desk' }),
    skill: Type.Optional(
      Type.String({ minLength: 1, description: 'Preferred: users whose attributes.skills lists it go first' }),
    ),
    excludeUserIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Never chosen, e.g. whoever let the ticket escalate' }),
    ),
  },
  { additionalProperties: false },
);
export type AssignTicketParams = Static<typeof AssignTicketParams>;

export const TicketAssignment = Type.Object({
  assignee: Nullable(
    Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), locale: Type.String() }),
  ),
  reason: Type.String({ description: 'Why this user (or nobody), for the audit trail' }),
});
export type TicketAssignment = Static<typeof TicketAssignment>;

export const RecordTicketResponseParams = Type.Object(
  { ticketId: TicketId, actorId: ActorId },
  { additionalProperties: false },
);
export type RecordTicketResponseParams = Static<typeof RecordTicketResponseParams>;
export const TicketResponseRecorded = Type.Object({
  ticketId: Type.String(),
  respondedAt: Type.String({ description: 'The first response, ISO 8601' }),
});
export type TicketResponseRecorded = Static<typeof TicketResponseRecorded>;

export const ResolveTicketParams = Type.Object(
  {
    ticketId: TicketId,
    resolution: Type.String({ minLength: 1, maxLength: 4000 }),
    actorId: ActorId,
  },
  { additionalProperties: false },
);
export type ResolveTicketParams = Static<typeof ResolveTicketParams>;
export const TicketResolved = Type.Object({ ticketId: Type.String(), resolvedAt: Type.String() });
export type TicketResolved = Static<typeof TicketResolved>;

export const ReopenTicketParams = Type.Object(
  { ticketId: TicketId, reason: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
export type ReopenTicketParams = Static<typeof ReopenTicketParams>;
export const TicketReopened = Type.Object({ ticketId: Type.String(), status: TicketStatus });
export type TicketReopened = Static<typeof TicketReopened>;

export const TicketClosed = Type.Object({
  ticketId: Type.String(),
  closedAt: Type.String(),
  surveyEventRaised: Type.Boolean({
    description: 'ticket.closed is in the outbox (the ticket has a customer); true on every retry',
  }),
});
export type TicketClosed = Static<typeof TicketClosed>;
