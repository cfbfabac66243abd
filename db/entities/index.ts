import { PriceTier, Product, Supplier } from './crm/catalogue.entity';
import { Contact, Customer } from '../crm/customers/customer.entity';
import { Stock, StockReservation, Warehouse } from './crm/inventory.entity';
import { Lead, Opportunity } from '../crm/leads/lead.entity';
import { Order, OrderLine, PurchaseRequest, ShipmentNote } from './crm/order.entity';
import { Quote, QuoteLine, QuoteVersion } from './crm/quote.entity';
import { Survey, SurveyInvitation, SurveyResponse } from './crm/survey.entity';
import { Ticket } from './crm/ticket.entity';
import { AuditLog } from './audit-log.entity';
import { EngineUser } from '../users/user.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { MailOutbox } from './mail-outbox.entity';
import { ProcessEvent } from './process-event.entity';
import { ProcessInstance } from './process-instance.entity';
import { Task } from './task.entity';
import { TaskEvent } from './task-event.entity';
import { TemplateDraft } from './template-draft.entity';
import { TemplateVersion } from './template-version.entity';
import { TimelineEntry } from './timeline-entry.entity';

export {
  AuditLog, EngineUser, IdempotencyKey, MailOutbox, ProcessEvent, ProcessInstance, Task, TaskEvent, TemplateDraft, TemplateVersion, TimelineEntry,
};
/** The CRM data the built-in processes work on. */
export {
  Customer, Contact, Lead, Opportunity, Product, PriceTier, Supplier, Warehouse, Stock, StockReservation, Quote, QuoteVersion, QuoteLine, Order, OrderLine, ShipmentNote, PurchaseRequest, Ticket, Survey, SurveyInvitation, SurveyResponse,
};
export const CRM_ENTITIES = [
  Customer, Contact, Lead, Opportunity, Product, PriceTier, Supplier, Warehouse, Stock, StockReservation, Quote, QuoteVersion, QuoteLine, Order, OrderLine, ShipmentNote, PurchaseRequest, Ticket, Survey, SurveyInvitation, SurveyResponse,
];
export const ENTITIES = [
  AuditLog, MailOutbox, EngineUser, TemplateDraft, TemplateVersion, ProcessInstance, TimelineEntry, Task, TaskEvent, IdempotencyKey, ProcessEvent,
  ...CRM_ENTITIES,
];
