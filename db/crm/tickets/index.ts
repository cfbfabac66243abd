export { Ticket } from './ticket.entity';
export { TicketRepository, type NewTicket, type TicketFilters, type TicketTriage } from './ticket.repository';
export * from './ticket.schema';
export { findBestAssignee, type AssigneeCandidate } from './ticket-assignees';
export { findReportingContact } from './ticket-reporter';
