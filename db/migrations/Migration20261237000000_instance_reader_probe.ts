import { Migration } from '@mikro-orm/migrations';

/*
 * Whether a caller reaches one instance (GET /instances/:id, and each instance a filtered
 * GET /instances walks) is a probe of `instance_reader` by the instance: are any of its readers
 * among the caller's? Migration 20261236 indexed `(instance_id, reader)`, so the caller's readers
 * were part of the index search, and PostgreSQL prepared that list of keys again for every instance
 * probed, at a cost that grows with the list: a manager's readers are one per owner of their team
 * and per kind of record, 151 for a team of 50. At 100 000 instances (EXPLAIN ANALYZE, the bulk
 * seed), the running ticket processes of a manager with a team of 50 took 59 ms a page, their
 * completed instances 16 ms.
 *
 * With the reader only carried in the index (`include`), the probe reads the instance's own few
 * readers (a handful of rows) and tests each against the caller's list, which PostgreSQL hashes when
 * it plans for the values: 6.5 and 0.45 ms. A caller with a few readers gains too (the bulk seed's
 * manager, a team of 3, 10 readers: running ticket processes 7.6 → 5.1 ms). The recomputation
 * deletes by instance only and is served as before.
 */
export class Migration20261237000000_instance_reader_probe extends Migration {
  override name = 'Migration20261237000000_instance_reader_probe';

  override up(): void {
    this.addSql('drop index if exists "instance_reader_instance_index";');
    this.addSql(
      `create index "instance_reader_instance_index" on "instance_reader" ("instance_id") include ("reader");`,
    );
  }

  override down(): void {
    this.addSql('drop index if exists "instance_reader_instance_index";');
    this.addSql(`create index "instance_reader_instance_index" on "instance_reader" ("instance_id", "reader");`);
  }
}
