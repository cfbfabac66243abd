import { Migration } from '@mikro-orm/migrations';

/**
 * Outgoing webhooks: subscriptions, their outbox (one row per subscription and event, unique, so
 * a retried projection write cannot enqueue twice) and the log of every attempt.
 */
export class Migration20261230000000_webhooks extends Migration {
  override name = 'Migration20261230000000_webhooks';

  override up(): void {
    this.addSql(`create table "webhook_subscription" (
      "id" uuid primary key,
      "url" text not null,
      "description" text null,
      "template_keys" text[] null,
      "event_types" text[] not null,
      "secret" text not null,
      "enabled" boolean not null default true,
      "disabled_reason" text null,
      "failing_since" timestamptz null,
      "last_success_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "created_by" text null
    );`);
    this.addSql(`create table "webhook_delivery" (
      "id" uuid primary key,
      "subscription_id" uuid not null references "webhook_subscription" ("id") on delete cascade,
      "event_id" text not null,
      "event_type" text not null,
      "instance_id" text null,
      "payload" jsonb not null,
      "status" text not null default 'pending' check ("status" in ('pending', 'delivered')),
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz not null,
      "claimed_until" timestamptz null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "webhook_delivery_event_unique" unique ("subscription_id", "event_id")
    );`);
    this.addSql(
      `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'pending';`,
    );
    this.addSql(`create table "webhook_attempt" (
      "id" bigint generated always as identity primary key,
      "delivery_id" uuid not null references "webhook_delivery" ("id") on delete cascade,
      "subscription_id" uuid not null references "webhook_subscription" ("id") on delete cascade,
      "attempt" int not null,
      "at" timestamptz not null,
      "status_code" int null,
      "duration_ms" int not null,
      "error" text null
    );`);
    this.addSql(
      `create index "webhook_attempt_subscription_index" on "webhook_attempt" ("subscription_id", "id" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "webhook_attempt";`);
    this.addSql(`drop table if exists "webhook_delivery";`);
    this.addSql(`drop table if exists "webhook_subscription";`);
  }
}
