import { defineEntity, p } from '@mikro-orm/postgresql';
import { Contact, Customer } from '../customers/customer.entity';
import { EngineUser } from '../../users/user.entity';
import type { TicketCategory, TicketPriority, TicketStatus } from './ticket.schema';

/**
 * A service request or complaint with its SLA deadlines. `updatedAt` has no `onUpdate` hook: the
 * repository stamps it with the caller's clock (activities run on an injected one), which a hook
 * would overwrite with the wall clock.
 */
export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  properties: {
    id: p.text().primary(),
    customer: () => p.manyToOne(Customer).nullable(),
    contact: () => p.manyToOne(Contact).nullable(),
    subject: p.text(),
    body: p.text().default(''),
    category: p.text().$type<TicketCategory>().default('other'),
    priority: p.text().$type<TicketPriority>().default('normal'),
    status: p.text().$type<TicketStatus>().default('open'),
    queue: p.text().nullable(),
    assignee: () => p.manyToOne(EngineUser).nullable(),
    redAlert: p.boolean().default(false),
    responseDueAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    respondedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    resolution: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Ticket extends TicketSchema.class {}
TicketSchema.setClass(Ticket);
