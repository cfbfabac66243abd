import { useQuery } from '@tanstack/react-query';
import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import type { Page, TimelineEntry } from '../api-types';
import { mayUse, useMe } from '../session';
import { formatCents, formatPercent } from './money';
import { OrderContext } from './order-context';
import { recordPath, RecordView, useRecord, useTimeline } from './record-query';
import { productColumn } from './product-name';

interface QuoteLine {
  lineNo: number;
  productId: string;
  quantity: number;
  listPriceCents: number;
  unitPriceCents: number;
  discountCents: number;
  lineTotalCents: number;
}
interface Quote {
  id: string;
  customerId: string;
  status: string;
  currentVersion: number;
  versions: {
    version: number;
    listTotalCents: number;
    totalCents: number;
    discountPercent: number;
    changeReason: string | null;
    lines: QuoteLine[];
  }[];
}

export function QuoteContext({ quoteId, instanceId }: { quoteId: string; instanceId: string }) {
  const { t } = useTranslation();
  const quote = useRecord<Quote>(recordPath('quotes', quoteId));
  return (
    <RecordView query={quote}>
      {(data) => {
        const version = data.versions.find((v) => v.version === data.currentVersion) ?? data.versions.at(-1);
        return (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="quote-context">
            <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
              <Descriptions.Item label={t('context.quote.number')}>{data.id}</Descriptions.Item>
              <Descriptions.Item label={t('context.status')}>
                <Tag data-testid="quote-status">
                  {t(`context.quote.statuses.${data.status}`, { defaultValue: data.status })}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('context.quote.version')}>{data.currentVersion}</Descriptions.Item>
              <Descriptions.Item label={t('context.quote.listTotal')}>
                {formatCents(version?.listTotalCents)}
              </Descriptions.Item>
              <Descriptions.Item label={t('context.quote.total')}>
                <Typography.Text strong>{formatCents(version?.totalCents)}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('context.quote.discount')}>
                {formatPercent(version?.discountPercent)}
              </Descriptions.Item>
              {version?.changeReason && (
                <Descriptions.Item label={t('context.quote.changeReason')} span={3}>
                  {version.changeReason}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Table<QuoteLine>
              size="small"
              rowKey="lineNo"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={version?.lines ?? []}
              columns={[
                productColumn(t),
                { key: 'quantity', title: t('context.quantity'), dataIndex: 'quantity', align: 'right' },
                {
                  key: 'list',
                  title: t('context.quote.listPrice'),
                  align: 'right',
                  render: (_, line) => formatCents(line.listPriceCents),
                },
                {
                  key: 'tier',
                  title: t('context.quote.tierPrice'),
                  align: 'right',
                  render: (_, line) => formatCents(line.unitPriceCents),
                },
                {
                  key: 'discount',
                  title: t('context.quote.lineDiscount'),
                  align: 'right',
                  render: (_, line) => formatCents(line.discountCents),
                },
                {
                  key: 'total',
                  title: t('context.quote.lineTotal'),
                  align: 'right',
                  render: (_, line) => formatCents(line.lineTotalCents),
                },
              ]}
            />
            <Approvals instanceId={instanceId} />
            {(data.status === 'approved' || data.status === 'accepted') && (
              <QuoteOrder quoteId={data.id} customerId={data.customerId} />
            )}
          </Space>
        );
      }}
    </RecordView>
  );
}

/** The approval tasks the quote's process opened, level by level, and how each was decided. */
function Approvals({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const timeline = useTimeline(instanceId);
  return (
    <RecordView query={timeline}>
      {({ items }) => {
        const approvals = approvalsOf(items);
        return (
          <div data-testid="quote-approvals">
            <Typography.Text strong>{t('context.quote.approvals')}</Typography.Text>
            {approvals.length === 0 ? (
              <div>
                <Typography.Text type="secondary">{t('context.quote.noApprovals')}</Typography.Text>
              </div>
            ) : (
              <ol style={{ margin: '4px 0', paddingInlineStart: 20 }}>
                {approvals.map((approval) => (
                  <li key={approval.taskId} data-testid="quote-approval">
                    {t(approval.parallel ? 'context.quote.parallelApproval' : 'context.quote.sequentialApproval')}
                    {' · '}
                    {approval.outcome ? (
                      <Typography.Text type={approval.outcome === 'approve' ? 'success' : 'danger'}>
                        {t('context.quote.decided', {
                          outcome: t(`context.quote.outcomes.${approval.outcome}`, { defaultValue: approval.outcome }),
                          by: approval.by ?? '—',
                          at: approval.at ? dayjs(approval.at).format('L LT') : '',
                        })}
                      </Typography.Text>
                    ) : (
                      <Typography.Text type="warning">{t('context.quote.pending')}</Typography.Text>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </div>
        );
      }}
    </RecordView>
  );
}

interface Approval {
  taskId: string;
  parallel: boolean;
  outcome?: string;
  by?: string;
  at?: string;
}

function approvalsOf(items: TimelineEntry[]): Approval[] {
  const byTask = new Map<string, Approval>();
  for (const entry of items) {
    const detail = (entry.detail ?? {}) as { taskId?: string; outcome?: string; by?: string };
    if (!detail.taskId || !entry.stepId?.endsWith('Approval')) continue;
    if (entry.type === 'task.opened') {
      byTask.set(detail.taskId, { taskId: detail.taskId, parallel: entry.stepId.startsWith('parallel') });
    } else if (entry.type === 'task.completed') {
      const approval = byTask.get(detail.taskId);
      if (approval) Object.assign(approval, { outcome: detail.outcome, by: detail.by, at: entry.at });
    }
  }
  return [...byTask.values()];
}

/** The order an approved quote became (found among the customer's orders). */
function QuoteOrder({ quoteId, customerId }: { quoteId: string; customerId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = mayUse(me.data, 'orders.read');
  const orders = useQuery({
    queryKey: ['quote-order', quoteId],
    queryFn: () => api<Page<{ id: string; quoteId: string | null }>>('/orders', { query: { customerId, limit: 100 } }),
    enabled: allowed,
    retry: false,
    // The order is created just after the approval: look again until it is there (for a minute).
    refetchInterval: (query) =>
      query.state.data?.items.some((o) => o.quoteId === quoteId) || query.state.dataUpdateCount > 20 ? false : 3000,
  });
  if (!allowed) return null;
  const order = orders.data?.items.find((o) => o.quoteId === quoteId);
  return (
    <div data-testid="quote-order">
      <Typography.Text strong>{t('context.quote.order')}</Typography.Text>
      {order ? (
        <OrderContext orderId={order.id} />
      ) : (
        <div>
          <Typography.Text type="secondary">{t('context.quote.noOrderYet')}</Typography.Text>
        </div>
      )}
    </div>
  );
}
