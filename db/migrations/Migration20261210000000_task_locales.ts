import { Migration } from '@mikro-orm/migrations';

/**
 * Template texts per locale on the inbox row: every locale's title and description of a task
 * whose template gives them per locale (`title`/`description` stay the `en` ones, as the inbox
 * always read them), and the template's outcome labels. Null for every other task.
 */
export class Migration20261210000000_task_locales extends Migration {
  override name = 'Migration20261210000000_task_locales';

  override up(): void {
    this.addSql(`alter table "task" add column "texts" jsonb null, add column "outcome_labels" jsonb null;`);
  }

  override down(): void {
    this.addSql(`alter table "task" drop column if exists "texts", drop column if exists "outcome_labels";`);
  }
}
