import { PriceTier, Product, Supplier } from '../crm/catalogue/catalogue.entity';
import { Contact, Customer } from '../crm/customers/customer.entity';
import { Stock, Warehouse } from '../crm/orders/inventory.entity';
import { Lead, Opportunity } from '../crm/leads/lead.entity';
import { Order, OrderLine, PurchaseRequest, ShipmentNote, StockReservation } from '../crm/orders/order.entity';
import { Quote, QuoteLine, QuoteVersion } from '../crm/quotes/quote.entity';
import { Survey, SurveyInvitation, SurveyResponse } from '../crm/surveys/survey.entity';
import { Ticket } from '../crm/tickets/ticket.entity';
import { AuditLog } from './audit-log.entity';
import { EngineUser } from '../users/user.entity';
import { OutOfOffice } from '../users/out-of-office.entity';
import { SignedLinkUse } from '../links/signed-link-use.entity';
import { ApiKey } from '../auth/api-key.entity';
import { AuthSession } from '../auth/session.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { MailOutbox } from './mail-outbox.entity';
import { RaisedEvent } from './raised-event.entity';
import { InstanceRow } from './instance-row.entity';
import { TaskRow } from './task-row.entity';
import { TaskEvent } from './task-event.entity';
import { SavedView } from './saved-view.entity';
import { TemplateDraft } from './template-draft.entity';
import { TemplateScenario } from './template-scenario.entity';
import { TemplateVersion } from './template-version.entity';
import { TimelineRow } from './timeline-row.entity';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity';

export {
  ApiKey,
  AuthSession,
  AuditLog,
  EngineUser,
  IdempotencyKey,
  MailOutbox,
  RaisedEvent,
  SavedView,
  InstanceRow,
  TaskRow,
  TaskEvent,
  TemplateDraft,
  TemplateScenario,
  TemplateVersion,
  TimelineRow,
  WebhookSubscription,
};
/** The CRM data the built-in processes work on: each aggregate's entities, owned by db/crm/<aggregate>/. */
export const CRM_ENTITIES = [
  Customer,
  Contact,
  Lead,
  Opportunity,
  Product,
  PriceTier,
  Supplier,
  Warehouse,
  Stock,
  StockReservation,
  Quote,
  QuoteVersion,
  QuoteLine,
  Order,
  OrderLine,
  ShipmentNote,
  PurchaseRequest,
  Ticket,
  Survey,
  SurveyInvitation,
  SurveyResponse,
];
export const ENTITIES = [
  AuditLog,
  MailOutbox,
  EngineUser,
  TemplateDraft,
  TemplateVersion,
  InstanceRow,
  TimelineRow,
  TaskRow,
  TaskEvent,
  IdempotencyKey,
  RaisedEvent,
  OutOfOffice,
  SavedView,
  TemplateScenario,
  AuthSession,
  ApiKey,
  SignedLinkUse,
  WebhookSubscription,
  ...CRM_ENTITIES,
];
