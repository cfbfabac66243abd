import { Migration } from '@mikro-orm/migrations';

/**
 * A mail is marked `sending` (attempt counted, committed) before it is handed to SMTP, so a
 * worker that dies between the SMTP server's acceptance and the `sent` update leaves a trace:
 * the next attempt finds `sending` past its lease, counts itself and flags a possible duplicate.
 */
export class Migration20261228000000_mail_outbox_sending extends Migration {
  override name = 'Migration20261228000000_mail_outbox_sending';

  override up(): void {
    this.addSql(`alter table "mail_outbox" drop constraint if exists "mail_outbox_status_check";`);
    this.addSql(
      `alter table "mail_outbox" add constraint "mail_outbox_status_check" check ("status" in ('pending', 'sending', 'sent', 'failed'));`,
    );
    this.addSql(`alter table "mail_outbox" add column "sending_until" timestamptz null;`);
    this.addSql(`alter table "mail_outbox" add column "possible_duplicate" boolean not null default false;`);
  }

  override down(): void {
    this.addSql(`update "mail_outbox" set "status" = 'pending' where "status" = 'sending';`);
    this.addSql(`alter table "mail_outbox" drop column "possible_duplicate";`);
    this.addSql(`alter table "mail_outbox" drop column "sending_until";`);
    this.addSql(`alter table "mail_outbox" drop constraint "mail_outbox_status_check";`);
    this.addSql(
      `alter table "mail_outbox" add constraint "mail_outbox_status_check" check ("status" in ('pending', 'sent', 'failed'));`,
    );
  }
}
