import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { listVersions, rollBack, studioKeys, type VersionSummary } from './studio-api';

/** Published versions, newest first: compare any with the newest, roll back to an older one (as the next version). */
export function VersionsPanel({ templateKey }: { templateKey: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const versions = useQuery({ queryKey: studioKeys.versions(templateKey), queryFn: () => listVersions(templateKey) });
  const items = versions.data?.items ?? [];
  const newest = items[0]?.version;
  const rollback = useMutation({
    mutationFn: (to: number) => rollBack(templateKey, to),
    onSuccess: (published, to) => {
      void message.success(t('studio.versions.rolledBack', { to, version: published.version }));
      void queryClient.invalidateQueries({ queryKey: studioKeys.detail(templateKey) });
    },
    onError: (error) => void message.error(problemMessage(t, error)),
  });

  return (
    <Table<VersionSummary>
      data-testid="versions"
      size="small"
      rowKey="version"
      loading={versions.isPending}
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={items}
      columns={[
        {
          title: t('studio.versions.version'),
          dataIndex: 'version',
          render: (version: number) => (
            <Space>
              <span data-testid={`version-${version}`}>v{version}</span>
              {version === newest && <Tag color="green">{t('studio.versions.newest')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('studio.versions.publishedAt'),
          dataIndex: 'publishedAt',
          render: (at: string) => dayjs(at).format('L LT'),
        },
        { title: t('studio.versions.publishedBy'), dataIndex: 'publishedBy' },
        {
          title: t('studio.versions.hash'),
          dataIndex: 'hash',
          render: (hash: string) => <Typography.Text code>{hash.slice(0, 8)}</Typography.Text>,
        },
        {
          title: '',
          key: 'actions',
          render: (_, row) =>
            newest === undefined || row.version === newest ? null : (
              <Space>
                <Link
                  to="/templates/$key/compare"
                  params={{ key: templateKey }}
                  search={{ from: row.version, to: newest }}
                  data-testid={`compare-${row.version}`}
                >
                  {t('studio.versions.compare')}
                </Link>
                <Popconfirm
                  title={t('studio.versions.rollbackConfirm', { version: row.version, next: newest + 1 })}
                  okText={t('studio.versions.rollback')}
                  cancelText={t('studio.cancel')}
                  okButtonProps={{ 'data-testid': 'rollback-confirm' }}
                  onConfirm={() => rollback.mutateAsync(row.version)}
                >
                  <Button size="small" danger data-testid={`rollback-${row.version}`} loading={rollback.isPending}>
                    {t('studio.versions.rollback')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
        },
      ]}
    />
  );
}
