import { Alert, Grid, Steps, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LinkPageProps } from '../LinkApp';
import type { OrderLine, OrderShipment, OrderView } from '../link-api';
import { formatDate, formatTime } from '../link-locale';

type Translate = ReturnType<typeof useTranslation>['t'];

/** Where an order stands on the way confirmed → shipped → delivered, as antd Steps wants it. */
function progressOf(status: string): { current: number; state: 'process' | 'finish' } {
  switch (status) {
    case 'partially-shipped':
      return { current: 1, state: 'process' };
    case 'shipped':
      return { current: 1, state: 'finish' };
    case 'delivered':
      return { current: 2, state: 'finish' };
    default:
      return { current: 0, state: 'finish' };
  }
}

function shippedAt(shipment: OrderShipment): string | null | undefined {
  return shipment.shippedAt ?? shipment.createdAt;
}

function lineName(t: Translate, line: OrderLine): string {
  return line.product || line.name || line.productName || line.sku || t('order.lineNo', { n: line.lineNo ?? '' });
}

/** A customer follows an order: where it stands, what is in it, what was shipped when. Read-only. */
export function OrderPage({ view }: LinkPageProps<OrderView>) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { order } = view;
  const shipments = [...order.shipments].sort((a, b) => (shippedAt(a) ?? '').localeCompare(shippedAt(b) ?? ''));
  const { current, state } = progressOf(order.status);
  const firstShipped = shippedAt(shipments[0] ?? { status: '' });
  const deliveredAt = shipments.map((s) => s.deliveredAt).find(Boolean);

  return (
    <>
      <Typography.Text type="secondary">{t('order.number', { id: order.id })}</Typography.Text>
      <Typography.Title level={4} style={{ marginTop: 4 }}>
        {t(`order.headline.${order.status}`, { defaultValue: t('order.headline.other') })}
      </Typography.Title>
      <div className="link-status">
        <Tag color={order.status === 'cancelled' ? 'red' : order.status === 'delivered' ? 'green' : 'blue'}>
          {t(`order.status.${order.status}`, { defaultValue: order.status })}
        </Tag>
        {order.createdAt && (
          <Typography.Text type="secondary">{t('order.placed', { date: formatDate(order.createdAt) })}</Typography.Text>
        )}
      </div>
      {order.status === 'cancelled' ? (
        <Alert type="error" showIcon title={t('order.cancelled')} style={{ marginBottom: 20 }} />
      ) : (
        <Steps
          orientation={screens.md ? 'horizontal' : 'vertical'}
          size="small"
          current={current}
          status={state}
          style={{ marginBottom: 24 }}
          items={[
            {
              title: t('order.step.confirmed'),
              content: order.status === 'awaiting-stock' ? t('order.step.awaitingStock') : formatDate(order.createdAt),
            },
            {
              title: order.status === 'partially-shipped' ? t('order.step.partlyShipped') : t('order.step.shipped'),
              content: current >= 1 ? formatDate(firstShipped) : undefined,
            },
            { title: t('order.step.delivered'), content: current >= 2 ? formatDate(deliveredAt) : undefined },
          ]}
        />
      )}
      <Typography.Title level={5}>{t('order.lines')}</Typography.Title>
      <div className="link-rows">
        {order.lines.map((line, index) => (
          <div className="link-row" key={line.lineNo ?? index}>
            <span>{lineName(t, line)}</span>
            <span style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              {t('order.quantity', { n: line.quantity })}
              {line.shippedQuantity !== undefined && line.shippedQuantity > 0 && (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {t('order.shippedOf', { shipped: line.shippedQuantity, total: line.quantity })}
                </Typography.Text>
              )}
            </span>
          </div>
        ))}
      </div>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('order.shipments')}
      </Typography.Title>
      {shipments.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('order.noShipments')}</Typography.Paragraph>
      ) : (
        <Timeline
          items={shipments.map((shipment, index) => ({
            key: shipment.id ?? index,
            color: shipment.deliveredAt ? 'green' : 'blue',
            content: (
              <>
                <div>
                  {t('order.shipmentNo', { n: index + 1 })}
                  {' · '}
                  {shipment.deliveredAt
                    ? t('order.deliveredOn', { date: formatDate(shipment.deliveredAt) })
                    : t(`order.shipmentStatus.${shipment.status}`, { defaultValue: shipment.status })}
                </div>
                <Typography.Text type="secondary" className="link-when">
                  {formatTime(shippedAt(shipment))}
                </Typography.Text>
                {(shipment.lines ?? []).map((line, lineIndex) => (
                  <div key={line.lineNo ?? lineIndex}>
                    {lineName(t, line)} × {line.quantity}
                  </div>
                ))}
              </>
            ),
          }))}
        />
      )}
    </>
  );
}
