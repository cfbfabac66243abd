import { Migration } from '@mikro-orm/migrations';

/**
 * An order made from a quote carries the quote's discount per line, so its lines add up to the
 * total the customer agreed (quantity × unit price − discount), as the quote's lines do.
 */
export class Migration20261204000000_order_line_discounts extends Migration {
  override name = 'Migration20261204000000_order_line_discounts';

  override up(): void {
    this.addSql(`alter table "order_lines" add column "discount_cents" bigint not null default 0
      constraint "order_lines_discount_cents_check" check ("discount_cents" >= 0);`);
  }

  override down(): void {
    this.addSql(`alter table "order_lines" drop column if exists "discount_cents";`);
  }
}
