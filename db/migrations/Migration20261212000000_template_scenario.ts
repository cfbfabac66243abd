import { Migration } from '@mikro-orm/migrations';

/** Dry-run scenarios saved with a template, by name (contract B); re-run on every edit. */
export class Migration20261212000000_template_scenario extends Migration {
  override name = 'Migration20261212000000_template_scenario';

  override up(): void {
    this.addSql(`create table "template_scenario" (
      "key" text not null,
      "name" text not null,
      "scenario" jsonb not null,
      "updated_by" text not null,
      "updated_at" timestamptz not null default now(),
      primary key ("key", "name")
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "template_scenario";');
  }
}
