import { Alert, Descriptions, List, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DryRunResult } from './dry-run-api';

type StepRow = DryRunResult['steps'][number];

const STATUS_COLOR: Record<string, string> = {
  completed: 'green',
  failed: 'red',
  waiting: 'gold',
  cancelled: 'default',
  'continued-as-new': 'blue',
  skipped: 'default',
  running: 'blue',
};

const json = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

/** What a dry run did: how it ended, where it waits, its expectations, and each step with its values. */
export function DryRunResultView({ result }: { result: DryRunResult }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="dry-run-result">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('studio.dryRun.status')}>
          <Tag color={STATUS_COLOR[result.status]} data-testid="dry-run-status">
            {t(`studio.dryRun.statuses.${result.status}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('studio.dryRun.virtualTime')}>
          {t('studio.dryRun.hours', { hours: number.format(result.virtualMs / 3_600_000) })}
        </Descriptions.Item>
        <Descriptions.Item label={t('studio.dryRun.wallTime')}>{number.format(result.wallMs)} ms</Descriptions.Item>
      </Descriptions>
      {result.error && (
        <Alert
          type="error"
          title={`${result.error.code}${result.error.stepId ? ` (${result.error.stepId})` : ''}`}
          description={result.error.message}
        />
      )}
      {result.waitingAt.length > 0 && (
        <Alert
          type="info"
          title={t('studio.dryRun.waitingAt')}
          description={result.waitingAt
            .map((w) => `${w.stepId} (${w.kind})${w.detail ? `: ${w.detail}` : ''}`)
            .join('; ')}
        />
      )}
      {result.expectations.length > 0 && (
        <List
          size="small"
          header={t('studio.dryRun.expectations')}
          dataSource={result.expectations}
          renderItem={(e) => (
            <List.Item>
              <Tag color={e.ok ? 'green' : 'red'}>{e.ok ? '✓' : '✗'}</Tag> {e.what}: {e.message}
            </List.Item>
          )}
        />
      )}
      <Table<StepRow>
        size="small"
        data-testid="dry-run-steps"
        rowKey={(row) => `${row.path}#${row.iteration}#${row.atMs}`}
        pagination={false}
        scroll={{ x: 'max-content', y: 320 }}
        dataSource={result.steps}
        columns={[
          { title: t('studio.dryRun.step'), dataIndex: 'stepId' },
          { title: t('studio.dryRun.kind'), dataIndex: 'kind' },
          {
            title: t('studio.dryRun.status'),
            dataIndex: 'status',
            render: (status: string) => (
              <Tag color={STATUS_COLOR[status]}>{t(`studio.dryRun.stepStatuses.${status}`)}</Tag>
            ),
          },
          {
            title: t('studio.dryRun.result'),
            dataIndex: 'result',
            render: (value: unknown) => (
              <Typography.Text code ellipsis={{ tooltip: json(value) }} style={{ maxWidth: 280 }}>
                {json(value)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}
