import { allOf, filterCondition, fractionOf, regionJoin, type ReportDefinition } from './report-definition';

/**
 * Orders by month placed: fill rate (shipped / ordered quantity), partial deliveries (shipped in
 * more than one shipment, or part shipped so far) and the median hours from the order to its
 * first shipment note, from the fulfilment figures kept on each order.
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
      // Quantities and shipments per order are kept on the order as they are written (OrderRepository).
      `select to_char(month, 'YYYY-MM') as month, orders, ordered, shipped, partial, complete, median_hours
         from (select date_trunc('month', o.created_at) as month, count(*)::int as orders,
                      coalesce(sum(o.ordered_quantity), 0)::int as ordered,
                      coalesce(sum(o.shipped_quantity), 0)::int as shipped,
                      count(*) filter (where o.shipment_count > 1
                                          or (o.shipped_quantity > 0 and o.shipped_quantity < o.ordered_quantity))::int as partial,
                      count(*) filter (where o.ordered_quantity > 0 and o.shipped_quantity >= o.ordered_quantity)::int as complete,
                      round((percentile_cont(0.5) within group (order by extract(epoch from o.first_shipped_at - o.created_at)) / 3600)::numeric, 2)::float8 as median_hours
                 from orders o ${regionJoin(filters, 'join customers c on c.id = o.customer_id')}
                where o.status <> 'cancelled' and ${where.sql}
                group by 1) m
        order by m.month`,
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
