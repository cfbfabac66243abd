import { Migration } from '@mikro-orm/migrations';

/**
 * The CRM data the built-in processes read and write: customers and contacts, leads and
 * opportunities, the catalogue with price tiers, stock per warehouse and its reservations,
 * quotes with versions and lines, orders with lines, shipment notes and purchase requests,
 * suppliers, service tickets, and satisfaction surveys with invitations and responses.
 *
 * Money is bigint cents, quantities are positive integers, enumerations are text with a check
 * constraint. Every table a retried activity writes to has a unique key that makes the write
 * idempotent (a reservation per order line and warehouse, a shipment note per order and key, a
 * purchase request per key, an invitation per survey, trigger and e-mail).
 */
export class Migration20261201000000_crm extends Migration {
  override name = 'Migration20261201000000_crm';

  override up(): void {
    this.addSql(`create table "customers" (
      "id" text not null primary key,
      "name" text not null,
      "grade" text not null default 'C' check ("grade" in ('VIP', 'A', 'B', 'C')),
      "region" text null,
      "industry" text null,
      "source" text null,
      "discount_rate" numeric(5, 4) not null default 0 check ("discount_rate" >= 0 and "discount_rate" <= 1),
      "locale" text not null default 'zh-CN' check ("locale" in ('zh-CN', 'en')),
      "birthday" date null,
      "owner_id" text null references "engine_user" ("id") on delete set null,
      "purchased_volume" int not null default 0 check ("purchased_volume" >= 0),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "customers_owner_index" on "customers" ("owner_id");`);
    this.addSql(`create index "customers_region_grade_index" on "customers" ("region", "grade");`);
    this.addSql(`create index "customers_lower_name_index" on "customers" (lower("name"));`);

    this.addSql(`create table "contacts" (
      "id" text not null primary key,
      "customer_id" text not null references "customers" ("id") on delete cascade,
      "name" text not null,
      "email" text null,
      "phone" text null check ("phone" ~ '^\\+[1-9][0-9]{6,14}$'),
      "role" text null,
      "is_primary" boolean not null default false,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "contacts_customer_index" on "contacts" ("customer_id");`);
    this.addSql(`create index "contacts_lower_email_index" on "contacts" (lower("email")) where "email" is not null;`);

    this.addSql(`create table "leads" (
      "id" text not null primary key,
      "source" text not null,
      "company" text not null,
      "contact_name" text not null,
      "email" text null,
      "phone" text null check ("phone" ~ '^\\+[1-9][0-9]{6,14}$'),
      "region" text null,
      "product_interest" text null,
      "estimated_value_cents" bigint null check ("estimated_value_cents" >= 0),
      "status" text not null default 'new' check ("status" in ('new', 'contacted', 'qualified', 'disqualified')),
      "owner_id" text null references "engine_user" ("id") on delete set null,
      "customer_id" text null references "customers" ("id") on delete set null,
      "notes" jsonb not null default '[]',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    // Duplicate detection: same e-mail, or same company and contact name, ignoring case.
    this.addSql(`create index "leads_lower_email_index" on "leads" (lower("email")) where "email" is not null;`);
    this.addSql(
      `create index "leads_lower_company_contact_index" on "leads" (lower("company"), lower("contact_name"));`,
    );
    this.addSql(`create index "leads_phone_index" on "leads" ("phone") where "phone" is not null;`);
    this.addSql(`create index "leads_owner_status_index" on "leads" ("owner_id", "status");`);
    this.addSql(`create index "leads_status_created_index" on "leads" ("status", "created_at");`);

    this.addSql(`create table "opportunities" (
      "id" text not null primary key,
      "customer_id" text not null references "customers" ("id") on delete cascade,
      "lead_id" text null references "leads" ("id") on delete set null,
      "name" text null,
      "stage" text not null default 'prospecting' check ("stage" in ('prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost')),
      "probability" int not null default 10 check ("probability" between 0 and 100),
      "amount_cents" bigint not null default 0 check ("amount_cents" >= 0),
      "owner_id" text null references "engine_user" ("id") on delete set null,
      "expected_close_date" date null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "opportunities_customer_index" on "opportunities" ("customer_id");`);
    this.addSql(`create index "opportunities_lead_index" on "opportunities" ("lead_id") where "lead_id" is not null;`);
    this.addSql(`create index "opportunities_stage_owner_index" on "opportunities" ("stage", "owner_id");`);

    this.addSql(`create table "products" (
      "id" text not null primary key,
      "sku" text not null,
      "name" text not null,
      "product_line" text not null,
      "list_price_cents" bigint not null check ("list_price_cents" >= 0),
      "active" boolean not null default true,
      "created_at" timestamptz not null default now(),
      constraint "products_sku_unique" unique ("sku")
    );`);
    this.addSql(`create index "products_product_line_index" on "products" ("product_line");`);

    this.addSql(`create table "price_tiers" (
      "id" text not null primary key,
      "product_id" text not null references "products" ("id") on delete cascade,
      "min_quantity" int not null check ("min_quantity" > 0),
      "unit_price_cents" bigint not null check ("unit_price_cents" >= 0),
      constraint "price_tiers_product_id_min_quantity_unique" unique ("product_id", "min_quantity")
    );`);

    this.addSql(`create table "warehouses" (
      "id" text not null primary key,
      "name" text not null,
      "region" text null,
      "email" text null,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "stock" (
      "product_id" text not null references "products" ("id") on delete cascade,
      "warehouse_id" text not null references "warehouses" ("id") on delete cascade,
      "on_hand" int not null default 0 check ("on_hand" >= 0),
      "reserved" int not null default 0 check ("reserved" >= 0),
      "updated_at" timestamptz not null default now(),
      primary key ("product_id", "warehouse_id"),
      constraint "stock_reserved_within_on_hand_check" check ("reserved" <= "on_hand")
    );`);
    this.addSql(`create index "stock_warehouse_index" on "stock" ("warehouse_id");`);

    this.addSql(`create table "suppliers" (
      "id" text not null primary key,
      "name" text not null,
      "email" text null,
      "phone" text null check ("phone" ~ '^\\+[1-9][0-9]{6,14}$'),
      "product_lines" text[] not null default '{}',
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "suppliers_product_lines_index" on "suppliers" using gin ("product_lines");`);

    this.addSql(`create table "quotes" (
      "id" text not null primary key,
      "customer_id" text not null references "customers" ("id") on delete restrict,
      "opportunity_id" text null references "opportunities" ("id") on delete set null,
      "owner_id" text null references "engine_user" ("id") on delete set null,
      "status" text not null default 'draft' check ("status" in ('draft', 'submitted', 'approved', 'rejected', 'changes-requested', 'accepted')),
      "current_version" int not null default 1 check ("current_version" > 0),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "quotes_customer_index" on "quotes" ("customer_id");`);
    this.addSql(`create index "quotes_owner_status_index" on "quotes" ("owner_id", "status");`);

    this.addSql(`create table "quote_versions" (
      "id" text not null primary key,
      "quote_id" text not null references "quotes" ("id") on delete cascade,
      "version" int not null check ("version" > 0),
      "list_total_cents" bigint not null default 0 check ("list_total_cents" >= 0),
      "total_cents" bigint not null check ("total_cents" >= 0),
      "discount_percent" numeric(5, 2) not null default 0 check ("discount_percent" >= 0 and "discount_percent" <= 100),
      "change_reason" text null,
      "created_by" text null,
      "created_at" timestamptz not null default now(),
      constraint "quote_versions_quote_id_version_unique" unique ("quote_id", "version")
    );`);

    this.addSql(`create table "quote_lines" (
      "id" text not null primary key,
      "quote_version_id" text not null references "quote_versions" ("id") on delete cascade,
      "line_no" int not null check ("line_no" > 0),
      "product_id" text not null references "products" ("id") on delete restrict,
      "quantity" int not null check ("quantity" > 0),
      "list_price_cents" bigint not null default 0 check ("list_price_cents" >= 0),
      "unit_price_cents" bigint not null check ("unit_price_cents" >= 0),
      "discount_cents" bigint not null default 0 check ("discount_cents" >= 0),
      "line_total_cents" bigint not null check ("line_total_cents" >= 0),
      constraint "quote_lines_quote_version_id_line_no_unique" unique ("quote_version_id", "line_no")
    );`);

    this.addSql(`create table "orders" (
      "id" text not null primary key,
      "customer_id" text not null references "customers" ("id") on delete restrict,
      "quote_id" text null references "quotes" ("id") on delete set null,
      "status" text not null default 'confirmed' check ("status" in ('confirmed', 'awaiting-stock', 'partially-shipped', 'shipped', 'delivered', 'cancelled')),
      "owner_id" text null references "engine_user" ("id") on delete set null,
      "total_cents" bigint not null default 0 check ("total_cents" >= 0),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    // One order per accepted quote: converting a quote twice finds the first order.
    this.addSql(`create unique index "orders_quote_unique" on "orders" ("quote_id") where "quote_id" is not null;`);
    this.addSql(`create index "orders_customer_index" on "orders" ("customer_id", "created_at" desc);`);
    this.addSql(`create index "orders_status_index" on "orders" ("status");`);
    this.addSql(`create index "orders_owner_index" on "orders" ("owner_id");`);

    this.addSql(`create table "order_lines" (
      "id" text not null primary key,
      "order_id" text not null references "orders" ("id") on delete cascade,
      "line_no" int not null check ("line_no" > 0),
      "product_id" text not null references "products" ("id") on delete restrict,
      "quantity" int not null check ("quantity" > 0),
      "unit_price_cents" bigint not null default 0 check ("unit_price_cents" >= 0),
      "shipped_quantity" int not null default 0 check ("shipped_quantity" >= 0),
      constraint "order_lines_order_id_line_no_unique" unique ("order_id", "line_no"),
      constraint "order_lines_shipped_within_quantity_check" check ("shipped_quantity" <= "quantity")
    );`);
    this.addSql(`create index "order_lines_product_index" on "order_lines" ("product_id");`);

    this.addSql(`create table "stock_reservations" (
      "id" text not null primary key,
      "order_line_id" text not null references "order_lines" ("id") on delete cascade,
      "product_id" text not null,
      "warehouse_id" text not null,
      "quantity" int not null check ("quantity" > 0),
      "status" text not null default 'reserved' check ("status" in ('reserved', 'shipped', 'released')),
      "created_at" timestamptz not null default now(),
      constraint "stock_reservations_stock_fk" foreign key ("product_id", "warehouse_id") references "stock" ("product_id", "warehouse_id") on delete restrict,
      constraint "stock_reservations_order_line_id_warehouse_id_unique" unique ("order_line_id", "warehouse_id")
    );`);
    this.addSql(
      `create index "stock_reservations_stock_index" on "stock_reservations" ("product_id", "warehouse_id");`,
    );

    this.addSql(`create table "shipment_notes" (
      "id" text not null primary key,
      "order_id" text not null references "orders" ("id") on delete cascade,
      "warehouse_id" text not null references "warehouses" ("id") on delete restrict,
      "idempotency_key" text not null,
      "lines" jsonb not null,
      "status" text not null default 'created' check ("status" in ('created', 'shipped', 'delivered', 'cancelled')),
      "created_at" timestamptz not null default now(),
      constraint "shipment_notes_order_id_idempotency_key_unique" unique ("order_id", "idempotency_key")
    );`);
    this.addSql(`create index "shipment_notes_warehouse_index" on "shipment_notes" ("warehouse_id", "created_at");`);

    this.addSql(`create table "purchase_requests" (
      "id" text not null primary key,
      "idempotency_key" text not null,
      "product_id" text not null references "products" ("id") on delete restrict,
      "supplier_id" text null references "suppliers" ("id") on delete set null,
      "order_id" text null references "orders" ("id") on delete set null,
      "quantity" int not null check ("quantity" > 0),
      "status" text not null default 'requested' check ("status" in ('requested', 'ordered', 'received', 'cancelled')),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "purchase_requests_idempotency_key_unique" unique ("idempotency_key")
    );`);
    this.addSql(
      `create index "purchase_requests_order_index" on "purchase_requests" ("order_id") where "order_id" is not null;`,
    );
    this.addSql(
      `create index "purchase_requests_product_status_index" on "purchase_requests" ("product_id", "status");`,
    );

    this.addSql(`create table "tickets" (
      "id" text not null primary key,
      "customer_id" text null references "customers" ("id") on delete set null,
      "contact_id" text null references "contacts" ("id") on delete set null,
      "subject" text not null,
      "body" text not null default '',
      "category" text not null default 'other' check ("category" in ('technical', 'sales', 'complaint', 'other')),
      "priority" text not null default 'normal' check ("priority" in ('low', 'normal', 'high', 'urgent')),
      "status" text not null default 'open' check ("status" in ('open', 'acknowledged', 'in-progress', 'resolved', 'closed', 'reopened')),
      "queue" text null,
      "assignee_id" text null references "engine_user" ("id") on delete set null,
      "red_alert" boolean not null default false,
      "response_due_at" timestamptz null,
      "resolution_due_at" timestamptz null,
      "responded_at" timestamptz null,
      "resolved_at" timestamptz null,
      "closed_at" timestamptz null,
      "resolution" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "tickets_customer_index" on "tickets" ("customer_id", "created_at" desc);`);
    this.addSql(`create index "tickets_assignee_status_index" on "tickets" ("assignee_id", "status");`);
    this.addSql(`create index "tickets_status_category_index" on "tickets" ("status", "category");`);
    this.addSql(
      `create index "tickets_response_due_index" on "tickets" ("response_due_at") where "status" in ('open', 'reopened');`,
    );
    this.addSql(
      `create index "tickets_resolution_due_index" on "tickets" ("resolution_due_at") where "status" not in ('resolved', 'closed');`,
    );

    this.addSql(`create table "surveys" (
      "id" text not null primary key,
      "name" text not null,
      "questions" jsonb not null default '[]',
      "active" boolean not null default true,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "survey_invitations" (
      "id" text not null primary key,
      "survey_id" text not null references "surveys" ("id") on delete cascade,
      "customer_id" text null references "customers" ("id") on delete set null,
      "email" text not null,
      "trigger_ref" text not null,
      "status" text not null default 'sent' check ("status" in ('sent', 'reminded', 'responded', 'expired')),
      "reminders_sent" int not null default 0 check ("reminders_sent" >= 0),
      "sent_at" timestamptz not null default now(),
      "last_reminded_at" timestamptz null,
      "expires_at" timestamptz null,
      constraint "survey_invitations_survey_id_trigger_ref_email_unique" unique ("survey_id", "trigger_ref", "email")
    );`);
    this.addSql(`create index "survey_invitations_status_index" on "survey_invitations" ("status", "sent_at");`);
    this.addSql(
      `create index "survey_invitations_customer_index" on "survey_invitations" ("customer_id") where "customer_id" is not null;`,
    );

    this.addSql(`create table "survey_responses" (
      "id" text not null primary key,
      "invitation_id" text not null references "survey_invitations" ("id") on delete cascade,
      "answers" jsonb not null,
      "score" numeric(4, 2) null check ("score" >= 0),
      "created_at" timestamptz not null default now(),
      constraint "survey_responses_invitation_id_unique" unique ("invitation_id")
    );`);
  }

  override down(): void {
    for (const table of CRM_TABLES_IN_DROP_ORDER) this.addSql(`drop table if exists "${table}";`);
  }
}

/** Children before parents, so plain `drop table` (no cascade) never touches other tables. */
const CRM_TABLES_IN_DROP_ORDER = [
  'survey_responses',
  'survey_invitations',
  'surveys',
  'tickets',
  'purchase_requests',
  'shipment_notes',
  'stock_reservations',
  'order_lines',
  'orders',
  'quote_lines',
  'quote_versions',
  'quotes',
  'suppliers',
  'stock',
  'warehouses',
  'price_tiers',
  'products',
  'opportunities',
  'leads',
  'contacts',
  'customers',
];
