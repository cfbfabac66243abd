import { defineEntity, p } from '@mikro-orm/postgresql';

export type TicketCategory = 'technical' | 'sales' | 'complaint' | 'other';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'open' | 'acknowledged' | 'in-progress' | 'resolved' | 'closed' | 'reopened';

/** A service request or complaint with its SLA deadlines. */
export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  properties: {
    id: p.text().primary(),
    customerId: p.text().nullable(),
    contactId: p.text().nullable(),
    subject: p.text(),
    body: p.text().default(''),
    category: p.text().$type<TicketCategory>().default('other'),
    priority: p.text().$type<TicketPriority>().default('normal'),
    status: p.text().$type<TicketStatus>().default('open'),
    queue: p.text().nullable(),
    assigneeId: p.text().nullable(),
    redAlert: p.boolean().default(false),
    responseDueAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    respondedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    resolution: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export class Ticket extends TicketSchema.class {}
TicketSchema.setClass(Ticket);
