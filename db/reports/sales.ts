import { allOf, filterCondition, type ReportColumn, type ReportDefinition } from './report-definition';

const GROUPS = {
  region: {
    select: `c.region as key, null as label, count(*)::int as orders, null::int as quantity,
             sum(o.total_cents)::float8 as amount_cents`,
    from: 'orders o join customers c on c.id = o.customer_id',
    group: 'c.region',
    title: { en: 'Region', 'zh-CN': '地区' },
  },
  rep: {
    select: `o.owner_id as key, min(u.name) as label, count(*)::int as orders, null::int as quantity,
             sum(o.total_cents)::float8 as amount_cents`,
    from: 'orders o join customers c on c.id = o.customer_id left join engine_user u on u.id = o.owner_id',
    group: 'o.owner_id',
    title: { en: 'Sales rep', 'zh-CN': '销售代表' },
  },
  product: {
    select: `ol.product_id as key, min(p.name) as label, count(distinct o.id)::int as orders,
             sum(ol.quantity)::int as quantity,
             sum(ol.quantity * ol.unit_price_cents - ol.discount_cents)::float8 as amount_cents`,
    from: `orders o join customers c on c.id = o.customer_id join order_lines ol on ol.order_id = o.id
           join products p on p.id = ol.product_id`,
    group: 'ol.product_id',
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
      `select ${group.select} from ${group.from}
        where o.status <> 'cancelled' and ${where.sql}
        group by ${group.group}
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
