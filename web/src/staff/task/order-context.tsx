import { useQueries } from '@tanstack/react-query';
import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { mayUse, useMe } from '../session';
import { formatCents } from './money';
import { recordPath, RecordView, useRecord } from './record-query';
import { productColumn } from './product-name';

interface OrderLine {
  lineNo: number;
  productId: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  shippedQuantity: number;
}
interface Reservation {
  lineNo: number;
  productId: string;
  warehouseId: string;
  quantity: number;
  status: string;
}

interface Order {
  id: string;
  status: string;
  quoteId: string | null;
  totalCents: number;
  lines?: OrderLine[];
  reservations?: Reservation[];
  shipmentNotes?: {
    id: string;
    warehouseId: string;
    status: string;
    lines: { sku: string; name: string; quantity: number }[];
  }[];
  purchaseRequests?: { id: string; productId: string; quantity: number; status: string }[];
}
interface StockLevel {
  productId: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export function OrderContext({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const order = useRecord<Order>(recordPath('orders', orderId));
  return (
    <RecordView query={order}>
      {(data) => (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="order-context" data-order-id={data.id}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
            <Descriptions.Item label={t('context.order.number')}>{data.id}</Descriptions.Item>
            <Descriptions.Item label={t('context.status')}>
              <Tag data-testid="order-status">
                {t(`context.order.statuses.${data.status}`, { defaultValue: data.status })}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('context.order.total')}>{formatCents(data.totalCents)}</Descriptions.Item>
          </Descriptions>
          <OrderLines lines={data.lines ?? []} />
          {data.reservations && data.reservations.length > 0 && (
            <Table<Reservation>
              size="small"
              title={() => t('context.order.reservations')}
              rowKey={(r) => `${r.lineNo}:${r.warehouseId}`}
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={data.reservations}
              columns={[
                productColumn(t),
                { key: 'warehouse', title: t('context.order.warehouse'), dataIndex: 'warehouseId' },
                { key: 'quantity', title: t('context.quantity'), dataIndex: 'quantity', align: 'right' },
                {
                  key: 'status',
                  title: t('context.status'),
                  render: (_, r) => t(`context.order.reservationStatuses.${r.status}`, { defaultValue: r.status }),
                },
              ]}
            />
          )}
          {data.shipmentNotes && data.shipmentNotes.length > 0 && (
            <Table
              size="small"
              title={() => t('context.order.shipments')}
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={data.shipmentNotes}
              columns={[
                { key: 'id', title: t('context.order.shipment'), dataIndex: 'id' },
                { key: 'warehouse', title: t('context.order.warehouse'), dataIndex: 'warehouseId' },
                {
                  key: 'lines',
                  title: t('context.order.items'),
                  render: (_, note) => note.lines.map((line) => `${line.name} × ${line.quantity}`).join(', '),
                },
                {
                  key: 'status',
                  title: t('context.status'),
                  render: (_, note) =>
                    t(`context.order.shipmentStatuses.${note.status}`, { defaultValue: note.status }),
                },
              ]}
            />
          )}
          {data.purchaseRequests && data.purchaseRequests.length > 0 && (
            <Typography.Text type="secondary">
              {t('context.order.purchaseRequests', { count: data.purchaseRequests.length })}
            </Typography.Text>
          )}
        </Space>
      )}
    </RecordView>
  );
}

/** The order's lines with the free stock of each product, when the person may read stock. */
function OrderLines({ lines }: { lines: OrderLine[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const stockAllowed = mayUse(me.data, 'stock.read');
  const products = [...new Set(lines.map((line) => line.productId))];
  const stock = useQueries({
    queries: products.map((productId) => ({
      queryKey: ['stock', productId],
      queryFn: () => api<{ items: StockLevel[] }>('/stock', { query: { productId } }),
      enabled: stockAllowed,
      retry: false,
    })),
  });
  const available = new Map<string, number>();
  products.forEach((productId, index) => {
    const items = stock[index]?.data?.items;
    if (items)
      available.set(
        productId,
        items.reduce((sum, level) => sum + level.available, 0),
      );
  });
  return (
    <Table<OrderLine>
      size="small"
      rowKey="lineNo"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={lines}
      columns={[
        productColumn(t),
        { key: 'quantity', title: t('context.quantity'), dataIndex: 'quantity', align: 'right' },
        { key: 'shipped', title: t('context.order.shipped'), dataIndex: 'shippedQuantity', align: 'right' },
        {
          key: 'price',
          title: t('context.order.unitPrice'),
          align: 'right',
          render: (_, line) => formatCents(line.unitPriceCents),
        },
        ...(stockAllowed
          ? [
              {
                key: 'stock',
                title: t('context.order.available'),
                align: 'right' as const,
                render: (_: unknown, line: OrderLine) => {
                  const free = available.get(line.productId);
                  if (free === undefined) return '—';
                  return (
                    <Typography.Text type={free < line.quantity - line.shippedQuantity ? 'danger' : undefined}>
                      {free}
                    </Typography.Text>
                  );
                },
              },
            ]
          : []),
      ]}
    />
  );
}
