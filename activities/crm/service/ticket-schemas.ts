import { Type, type Static, type TSchema } from 'typebox';
import { TicketCategory } from '../rules/classify-ticket';
import { SlaOpenedAt } from '../rules/sla-deadlines';
import { CustomerGrade, TicketPriorityLevel } from '../rules/ticket-priority';

/* Parameters and results of the ticket activities (tickets.ts, ticket-assignment.ts). */

const TicketId = Type.String({ minLength: 1, maxLength: 200 });
const ActorId = Type.String({ minLength: 1, maxLength: 200, description: 'Who did it: a user id or `system`' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TicketStatus = Type.Enum(['open', 'acknowledged', 'in-progress', 'resolved', 'closed', 'reopened']);
export type TicketStatus = Static<typeof TicketStatus>;
export const Locale = Type.Enum(['zh-CN', 'en']);
export type Locale = Static<typeof Locale>;

export const TicketRef = Type.Object({ ticketId: TicketId }, { additionalProperties: false });
export type TicketRef = Static<typeof TicketRef>;

export const LoadedTicket = Type.Object({
  ticket: Type.Object({
    id: Type.String(),
    subject: Type.String(),
    body: Type.String(),
    text: Type.String({ description: 'Subject and body on two lines, for crm.classifyTicket' }),
    status: TicketStatus,
    category: TicketCategory,
    priority: TicketPriorityLevel,
    assigneeId: Nullable(Type.String()),
    openedAt: Type.String({ description: 'ISO 8601, UTC' }),
  }),
  customer: Nullable(Type.Object({ id: Type.String(), name: Type.String(), grade: CustomerGrade, locale: Locale })),
  contactEmail: Nullable(Type.String({ description: "The ticket's contact, else the customer's primary contact, else any contact with an e-mail" })),
  locale: Locale,
  customerGrade: CustomerGrade,
});
export type LoadedTicket = Static<typeof LoadedTicket>;

export const UpdateTicketParams = Type.Object({
  ticketId: TicketId,
  category: Type.Optional(TicketCategory),
  priority: Type.Optional(TicketPriorityLevel),
  redAlert: Type.Optional(Type.Boolean()),
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  responseDueAt: Type.Optional(SlaOpenedAt),
  resolutionDueAt: Type.Optional(SlaOpenedAt),
  status: Type.Optional(TicketStatus),
}, { additionalProperties: false });
export type UpdateTicketParams = Static<typeof UpdateTicketParams>;

export const UpdatedTicket = Type.Object({ ticketId: Type.String(), status: TicketStatus, priority: TicketPriorityLevel, category: TicketCategory });
export type UpdatedTicket = Static<typeof UpdatedTicket>;

export const AssignTicketParams = Type.Object({
  ticketId: TicketId,
  role: Type.String({ minLength: 1, description: 'e.g. technical-support, sales, customer-relations, service-desk' }),
  skill: Type.Optional(Type.String({ minLength: 1, description: 'Preferred: users whose attributes.skills lists it go first' })),
  excludeUserIds: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Never chosen, e.g. whoever let the ticket escalate' })),
}, { additionalProperties: false });
export type AssignTicketParams = Static<typeof AssignTicketParams>;

export const TicketAssignment = Type.Object({
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), locale: Type.String() })),
  reason: Type.String({ description: 'Why this user (or nobody), for the audit trail' }),
});
export type TicketAssignment = Static<typeof TicketAssignment>;

export const RecordTicketResponseParams = Type.Object({ ticketId: TicketId, actorId: ActorId }, { additionalProperties: false });
export type RecordTicketResponseParams = Static<typeof RecordTicketResponseParams>;
export const TicketResponseRecorded = Type.Object({ ticketId: Type.String(), respondedAt: Type.String({ description: 'The first response, ISO 8601' }) });
export type TicketResponseRecorded = Static<typeof TicketResponseRecorded>;

export const ResolveTicketParams = Type.Object({
  ticketId: TicketId, resolution: Type.String({ minLength: 1, maxLength: 4000 }), actorId: ActorId,
}, { additionalProperties: false });
export type ResolveTicketParams = Static<typeof ResolveTicketParams>;
export const TicketResolved = Type.Object({ ticketId: Type.String(), resolvedAt: Type.String() });
export type TicketResolved = Static<typeof TicketResolved>;

export const ReopenTicketParams = Type.Object({ ticketId: TicketId, reason: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
export type ReopenTicketParams = Static<typeof ReopenTicketParams>;
export const TicketReopened = Type.Object({ ticketId: Type.String(), status: TicketStatus });
export type TicketReopened = Static<typeof TicketReopened>;

export const TicketClosed = Type.Object({
  ticketId: Type.String(),
  closedAt: Type.String(),
  surveyEventRaised: Type.Boolean({ description: 'ticket.closed is in the outbox (the ticket has a customer); true on every retry' }),
});
export type TicketClosed = Static<typeof TicketClosed>;
