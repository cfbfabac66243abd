import { Migration } from '@mikro-orm/migrations';

/**
 * A rollback publishes an older version's content as the next version, so one content (one hash)
 * may now stand at several versions of a key: `(key, hash)` is no longer unique. Publishing
 * content equal to the newest version still makes no new one (the registry checks it under the
 * publish lock).
 */
export class Migration20261211000000_template_rollback extends Migration {
  override name = 'Migration20261211000000_template_rollback';

  override up(): void {
    this.addSql(`alter table "template_version" drop constraint if exists "template_version_key_hash_unique";`);
  }

  override down(): void {
    // Fails while a rolled-back content stands at two versions: those rows are history to keep, not to drop.
    this.addSql(
      `alter table "template_version" add constraint "template_version_key_hash_unique" unique ("key", "hash");`,
    );
  }
}
