import {
  allOf,
  filterCondition,
  regionJoin,
  type ReportColumn,
  type ReportDefinition,
  type ReportFilters,
} from './report-definition';

const CUSTOMERS = 'join customers c on c.id = o.customer_id';

/**
 * Each grouping's query over the orders `placed` (not cancelled, in the filters). By product, the
 * lines are summed per order and product first, so an order counts once per product without a
 * `count(distinct)` sorting every line.
 */
const GROUPS = {
  region: {
    sql: (_filters: ReportFilters, placed: string) =>
      `select c.region as key, null as label, count(*)::int as orders, null::int as quantity,
              sum(o.total_cents)::float8 as amount_cents
         from orders o ${CUSTOMERS} where ${placed} group by c.region`,
    title: { en: 'Region', 'zh-CN': '地区' },
  },
  rep: {
    sql: (filters: ReportFilters, placed: string) =>
      `select g.owner_id as key, u.name as label, g.orders, null::int as quantity, g.amount_cents
         from (select o.owner_id, count(*)::int as orders, sum(o.total_cents)::float8 as amount_cents
                 from orders o ${regionJoin(filters, CUSTOMERS)} where ${placed} group by o.owner_id) g
         left join engine_user u on u.id = g.owner_id`,
    title: { en: 'Sales rep', 'zh-CN': '销售代表' },
  },
  product: {
    sql: (filters: ReportFilters, placed: string) =>
      `select g.product_id as key, p.name as label, g.orders, g.quantity, g.amount_cents
         from (select product_id, count(*)::int as orders, sum(quantity)::int as quantity,
                      sum(amount)::float8 as amount_cents
                 from (select ol.product_id, sum(ol.quantity) as quantity,
                              sum(ol.quantity * ol.unit_price_cents - ol.discount_cents) as amount
                         from orders o ${regionJoin(filters, CUSTOMERS)} join order_lines ol on ol.order_id = o.id
                        where ${placed} group by ol.product_id, ol.order_id) per_order
                group by product_id) g
         join products p on p.id = g.product_id`,
    title: { en: 'Product', 'zh-CN': '产品' },
  },
} as const;

/** Orders (not cancelled) by region, product or rep: how many and for how much. */
export const salesReport: ReportDefinition = {
  name: 'sales',
  title: { en: 'Sales', 'zh-CN': '销售额' },
  description:
    'Orders placed in the period, cancelled ones left out, grouped `by` region (the customer’s), product ' +
    '(line amounts after discount) or rep (the order’s owner): orders and amount.',
  right: 'orders.read',
  records: 'orders',
  dimensions: { date: 'o.created_at', region: 'c.region', owner: 'o.owner_id' },
  params: { by: { description: 'region | product | rep', values: ['region', 'product', 'rep'] } },
  async run(em, filters, params, visible) {
    const group = GROUPS[(params['by'] ?? 'region') as keyof typeof GROUPS];
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    const rows = await em.execute<
      { key: string | null; label: string | null; orders: number; quantity: number | null; amount_cents: number }[]
    >(
      `select * from (${group.sql(filters, `o.status <> 'cancelled' and ${where.sql}`)}) grouped
        order by amount_cents desc, key`,
      where.params,
    );
    const byProduct = params['by'] === 'product';
    const columns: ReportColumn[] = [
      { key: 'key', type: 'string', title: group.title },
      ...(params['by'] === 'region'
        ? []
        : [{ key: 'name', type: 'string', title: { en: 'Name', 'zh-CN': '名称' } } as const]),
      { key: 'orders', type: 'number', title: { en: 'Orders', 'zh-CN': '订单数' } },
      ...(byProduct ? [{ key: 'quantity', type: 'number', title: { en: 'Quantity', 'zh-CN': '数量' } } as const] : []),
      { key: 'amountCents', type: 'cents', title: { en: 'Amount', 'zh-CN': '金额' } },
    ];
    return {
      columns,
      rows: rows.map((row) => ({
        key: row.key,
        ...(params['by'] === 'region' ? {} : { name: row.label }),
        orders: row.orders,
        ...(byProduct ? { quantity: row.quantity } : {}),
        amountCents: row.amount_cents,
      })),
      totals: {
        amountCents: rows.reduce((sum, row) => sum + row.amount_cents, 0),
        ...(byProduct ? {} : { orders: rows.reduce((sum, row) => sum + row.orders, 0) }),
      },
    };
  },
};
