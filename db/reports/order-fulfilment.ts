import { allOf, filterCondition, fractionOf, type ReportDefinition } from './report-definition';

/**
 * Orders by month placed: fill rate (shipped / ordered quantity), partial deliveries (shipped in
 * more than one shipment, or part shipped so far) and the median hours from the order to its
 * first shipment note.
 */
export const orderFulfilmentReport: ReportDefinition = {
  name: 'order-fulfilment',
  title: { en: 'Order fulfilment', 'zh-CN': '订单履约' },
  description:
    'Orders placed in the period (not cancelled) by month: orders, fill rate (shipped / ordered quantity), ' +
    'partial deliveries (more than one shipment, or part of it shipped so far), orders shipped complete, and ' +
    'the median hours from the order to its first shipment note.',
  right: 'orders.read',
  records: 'orders',
  dimensions: { date: 'o.created_at', region: 'c.region', owner: 'o.owner_id' },
  async run(em, filters, _params, visible) {
    const where = allOf(filterCondition(filters, this.dimensions), visible);
    const rows = await em.execute<
      {
        month: string;
        orders: number;
        ordered: number;
        shipped: number;
        partial: number;
        complete: number;
        median_hours: number | null;
      }[]
    >(
      `with placed as (
         select o.id, o.created_at from orders o join customers c on c.id = o.customer_id
          where o.status <> 'cancelled' and ${where.sql}
       ), per_order as (
         select p.id, p.created_at, l.ordered, l.shipped, s.notes, s.first_at
           from placed p
           join lateral (select sum(quantity)::int as ordered, sum(shipped_quantity)::int as shipped
                           from order_lines where order_id = p.id) l on true
           left join lateral (select count(*)::int as notes, min(created_at) as first_at
                                from shipment_notes where order_id = p.id and status <> 'cancelled') s on true
       )
       select to_char(date_trunc('month', created_at), 'YYYY-MM') as month, count(*)::int as orders,
              coalesce(sum(ordered), 0)::int as ordered, coalesce(sum(shipped), 0)::int as shipped,
              count(*) filter (where notes > 1 or (shipped > 0 and shipped < ordered))::int as partial,
              count(*) filter (where ordered > 0 and shipped >= ordered)::int as complete,
              round((percentile_cont(0.5) within group (order by extract(epoch from first_at - created_at)) / 3600)::numeric, 2)::float8 as median_hours
         from per_order group by 1 order by 1`,
      where.params,
    );
    const sum = (key: 'orders' | 'ordered' | 'shipped' | 'partial' | 'complete') =>
      rows.reduce((total, row) => total + row[key], 0);
    return {
      columns: [
        { key: 'month', type: 'month', title: { en: 'Month', 'zh-CN': '月份' } },
        { key: 'orders', type: 'number', title: { en: 'Orders', 'zh-CN': '订单数' } },
        { key: 'fillRate', type: 'percent', title: { en: 'Fill rate', 'zh-CN': '满足率' } },
        { key: 'partial', type: 'number', title: { en: 'Partial deliveries', 'zh-CN': '分批发货' } },
        { key: 'complete', type: 'number', title: { en: 'Shipped complete', 'zh-CN': '全部发货' } },
        {
          key: 'medianHoursToShip',
          type: 'hours',
          title: { en: 'Median hours to ship', 'zh-CN': '发货时长中位数（小时）' },
        },
      ],
      rows: rows.map((row) => ({
        month: row.month,
        orders: row.orders,
        fillRate: fractionOf(row.shipped, row.ordered),
        partial: row.partial,
        complete: row.complete,
        medianHoursToShip: row.median_hours,
      })),
      totals: {
        orders: sum('orders'),
        fillRate: fractionOf(sum('shipped'), sum('ordered')) ?? 0,
        partial: sum('partial'),
        complete: sum('complete'),
      },
    };
  },
};
