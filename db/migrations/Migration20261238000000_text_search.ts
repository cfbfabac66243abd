import { Migration } from '@mikro-orm/migrations';

/*
 * The lists' text searches, a task's title (`GET /tasks?q=`, either language's title) and a
 * customer's name (`GET /customers?name=`), are "contains, any case": `ilike '%…%'` / `lower(name)
 * like '%…%'`, which no B-tree serves. A page of them walked the list's order index testing each
 * row, so a word few rows hold read the whole table: at 100 000 rows per table (the bulk seed,
 * through the repositories), every task for a word none has 64-116 ms, every customer 32-45 ms.
 * Trigram indexes (pg_trgm, in PostgreSQL's contrib, a trusted extension that the database's owner
 * may create) answer such a search from the rows that hold the word's trigrams: 2.6-5.2 and
 * 0.8-1.2 ms. A word most rows hold is still read along the order's index: PostgreSQL weighs the
 * two by the word, which is why a search is planned for each call (readPrepared's `per-call`).
 *
 * `down` keeps the extension: other objects of the database may use it.
 */
export class Migration20261238000000_text_search extends Migration {
  override name = 'Migration20261238000000_text_search';

  override up(): void {
    this.addSql('create extension if not exists "pg_trgm";');
    this.addSql('create index "task_title_search_index" on "task" using gin ("title" gin_trgm_ops);');
    this.addSql(
      `create index "task_title_zh_search_index" on "task" using gin (("texts" -> 'zh-CN' ->> 'title') gin_trgm_ops);`,
    );
    this.addSql('create index "customers_name_search_index" on "customers" using gin (lower("name") gin_trgm_ops);');
  }

  override down(): void {
    this.addSql('drop index if exists "customers_name_search_index";');
    this.addSql('drop index if exists "task_title_zh_search_index";');
    this.addSql('drop index if exists "task_title_search_index";');
  }
}
