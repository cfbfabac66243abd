import { useMutation } from '@tanstack/react-query';
import { Alert, Button, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { ruleSentence } from './rule-answer';
import { backtest, type BacktestAnswer } from './studio-api';

type Item = BacktestAnswer['items'][number];

export interface BacktestViewProps {
  templateKey: string;
  stepId: string;
  records: BacktestAnswer['records'];
  source: () => string;
}

/** The draft policy over the last N stored records against the published one: how many change, and which. */
export function BacktestView({ templateKey, stepId, records, source }: BacktestViewProps) {
  const { t, i18n } = useTranslation();
  const [limit, setLimit] = useState(100);
  const run = useMutation({ mutationFn: () => backtest(templateKey, { source: source(), stepId, limit }) });
  const number = new Intl.NumberFormat(i18n.language);
  const changed = run.data?.items.filter((item) => item.changed) ?? [];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="backtest">
      <Typography.Title level={5}>{t('studio.policy.backtest')}</Typography.Title>
      <Space wrap>
        <span>{t('studio.policy.lastRecords', { records: t(`studio.policy.records.${records}`) })}</span>
        <InputNumber
          min={1}
          max={1000}
          value={limit}
          onChange={(n) => setLimit(n ?? 100)}
          data-testid="backtest-limit"
        />
        <Button data-testid="backtest-run" loading={run.isPending} onClick={() => run.mutate()}>
          {t('studio.policy.runBacktest')}
        </Button>
      </Space>
      {run.isError && <Alert type="error" title={problemMessage(t, run.error)} />}
      {run.data && (
        <>
          <Alert
            type={run.data.changed > 0 ? 'warning' : 'success'}
            data-testid="backtest-summary"
            title={t('studio.policy.backtestSummary', {
              changed: number.format(run.data.changed),
              total: number.format(run.data.total),
              records: t(`studio.policy.records.${run.data.records}`),
            })}
          />
          {run.data.withheld && (
            <Alert
              type="info"
              data-testid="backtest-withheld"
              title={t('studio.policy.withheld', { records: t(`studio.policy.records.${run.data.records}`) })}
            />
          )}
          {changed.length > 0 && (
            <Table<Item>
              size="small"
              rowKey="recordId"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              dataSource={changed}
              columns={[
                { title: t('studio.policy.record'), dataIndex: 'label' },
                {
                  title: t('studio.policy.published'),
                  dataIndex: 'published',
                  render: (value: unknown) => (value === null ? '—' : ruleSentence(t, value)),
                },
                {
                  title: t('studio.policy.draft'),
                  dataIndex: 'draft',
                  render: (value: unknown) => <Tag color="orange">{ruleSentence(t, value)}</Tag>,
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}
