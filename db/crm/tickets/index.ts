export { Ticket } from './ticket.entity';
export { TicketRepository, type NewTicket, type TicketFilters, type TicketTriage } from './ticket.repository';
export * from './ticket.schema';
