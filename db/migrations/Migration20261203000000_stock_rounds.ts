import { Migration } from '@mikro-orm/migrations';

/**
 * What the sales activities need beyond the CRM tables:
 *
 * - A stock reservation per order line and warehouse was unique for good, so once a reservation
 *   had shipped, stock arriving later at the same warehouse could not be reserved for the rest of
 *   the line. Now only one *open* ('reserved') reservation per line and warehouse is unique: a
 *   second round tops that row up, and a shipped one stays as the record of what left.
 * - A quote version carries the extra discount the rep asked for, in percent, which pricing adds
 *   to the customer's own rate (approval then sees the whole discount).
 */
export class Migration20261203000000_stock_rounds extends Migration {
  override name = 'Migration20261203000000_stock_rounds';

  override up(): void {
    this.addSql(
      `alter table "stock_reservations" drop constraint "stock_reservations_order_line_id_warehouse_id_unique";`,
    );
    // Same name as the constraint it replaces, so errors read the same to whoever knew the old one.
    this.addSql(
      `create unique index "stock_reservations_order_line_id_warehouse_id_unique" on "stock_reservations" ("order_line_id", "warehouse_id") where "status" = 'reserved';`,
    );
    this.addSql(`create index "stock_reservations_order_line_index" on "stock_reservations" ("order_line_id");`);
    this.addSql(`alter table "quote_versions" add column "requested_discount_percent" numeric(5, 2) not null default 0
      constraint "quote_versions_requested_discount_percent_check" check ("requested_discount_percent" >= 0 and "requested_discount_percent" < 100);`);
  }

  override down(): void {
    this.addSql(`alter table "quote_versions" drop column if exists "requested_discount_percent";`);
    this.addSql(`drop index if exists "stock_reservations_order_line_index";`);
    this.addSql(`drop index if exists "stock_reservations_order_line_id_warehouse_id_unique";`);
    this.addSql(
      `alter table "stock_reservations" add constraint "stock_reservations_order_line_id_warehouse_id_unique" unique ("order_line_id", "warehouse_id");`,
    );
  }
}
