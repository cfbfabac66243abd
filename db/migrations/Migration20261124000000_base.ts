import { Migration } from '@mikro-orm/migrations';

/** The engine's base tables: the audit log and the mail outbox. */
export class Migration20261124000000_base extends Migration {
  override name = 'Migration20261124000000_base';

  override up(): void {
    this.addSql(`create table "audit_log" (
      "id" uuid not null primary key,
      "occurred_at" timestamptz not null default now(),
      "actor" varchar(255) not null,
      "action" varchar(255) not null,
      "subject" varchar(255) not null,
      "detail" jsonb null,
      "ip" varchar(255) null,
      "idempotency_key" varchar(255) null,
      constraint "audit_log_idempotency_key_unique" unique ("idempotency_key")
    );`);
    this.addSql(`create index "audit_log_subject_index" on "audit_log" ("subject", "occurred_at");`);
    this.addSql(`create table "mail_outbox" (
      "id" uuid not null primary key,
      "idempotency_key" varchar(255) not null,
      "recipient" varchar(255) not null,
      "subject" varchar(255) not null,
      "text_body" text not null,
      "html_body" text null,
      "status" text check ("status" in ('pending', 'sent', 'failed')) not null default 'pending',
      "message_id" varchar(255) not null,
      "attempts" int not null default 0,
      "last_error" text null,
      "created_at" timestamptz not null default now(),
      "sent_at" timestamptz null,
      constraint "mail_outbox_idempotency_key_unique" unique ("idempotency_key")
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "mail_outbox";');
    this.addSql('drop table if exists "audit_log";');
  }
}
