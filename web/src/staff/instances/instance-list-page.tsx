import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Alert, Button, DatePicker, Grid, Input, InputNumber, List, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import type { Page } from '../api-types';
import { mayUse, useMe } from '../session';
import { BulkCancel } from './bulk-cancel';
import { listQueryOf, STATUS_COLORS, STATUS_FILTERS, type InstanceSearch } from './instance-search';
import type { InstanceItem } from './instance-types';

const route = getRouteApi('/shell/instances');
const PAGE_SIZE = 50;

export function StatusTag({ item }: { item: Pick<InstanceItem, 'status' | 'incidentCount'> }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLORS[item.status]}>{t(`instances.status.${item.status}`)}</Tag>
      {item.status !== 'incident' && (item.incidentCount ?? 0) > 0 && (
        <Tag color={STATUS_COLORS.incident}>{t('instances.status.incident')}</Tag>
      )}
    </Space>
  );
}

/** Operators' list of process instances: filters in the URL, newest first, bulk cancel. */
export function InstanceListPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const me = useMe();
  const mayCancel = mayUse(me.data, 'instances.cancel');
  const [selected, setSelected] = useState<string[]>([]);
  const [businessKey, setBusinessKey] = useState(search.businessKey ?? '');
  const [template, setTemplate] = useState(search.template ?? '');
  useEffect(() => setBusinessKey(search.businessKey ?? ''), [search.businessKey]);
  useEffect(() => setTemplate(search.template ?? ''), [search.template]);

  const query = listQueryOf(search);
  const list = useInfiniteQuery({
    queryKey: ['instances', query],
    queryFn: ({ pageParam, signal }) =>
      api<Page<InstanceItem>>('/instances', { query: { ...query, limit: PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const update = (change: Partial<InstanceSearch>) => {
    setSelected([]);
    void navigate({ search: (previous) => ({ ...previous, ...change }) });
  };
  const when = (iso: string | null) => (iso ? dayjs(iso).format('L LT') : '—');
  const label = (item: InstanceItem) => item.businessKey ?? item.id;
  const link = (item: InstanceItem) => (
    <Link to="/instances/$id" params={{ id: item.id }} data-testid="instance-link">
      {label(item)}
    </Link>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="instances-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('instances.title')}
      </Typography.Title>
      <Space wrap data-testid="instance-filters">
        <Input.Search
          allowClear
          placeholder={t('instances.filters.businessKey')}
          value={businessKey}
          onChange={(event) => setBusinessKey(event.target.value)}
          onSearch={(value) => update({ businessKey: value.trim() || undefined })}
          style={{ width: phone ? '100%' : 260 }}
          data-testid="filter-business-key"
        />
        <Input.Search
          allowClear
          placeholder={t('instances.filters.template')}
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
          onSearch={(value) => update({ template: value.trim() || undefined, version: undefined })}
          style={{ width: phone ? '100%' : 200 }}
          data-testid="filter-template"
        />
        <InputNumber
          min={1}
          disabled={!search.template}
          placeholder={t('instances.filters.version')}
          value={search.version ?? null}
          onChange={(value) => update({ version: typeof value === 'number' ? value : undefined })}
          data-testid="filter-version"
        />
        <Select
          allowClear
          placeholder={t('instances.filters.status')}
          value={search.status}
          onChange={(value) => update({ status: value })}
          options={STATUS_FILTERS.map((status) => ({ value: status, label: t(`instances.status.${status}`) }))}
          style={{ minWidth: 140 }}
          data-testid="filter-status"
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[search.from ? dayjs(search.from) : null, search.to ? dayjs(search.to) : null]}
          onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          placeholder={[t('instances.filters.from'), t('instances.filters.to')]}
          style={{ maxWidth: '100%' }}
        />
      </Space>
      {list.isError && <Alert type="error" showIcon title={problemMessage(t, list.error)} />}
      {mayCancel && selected.length > 0 && <BulkCancel ids={selected} onDone={() => setSelected([])} />}
      {phone ? (
        <List
          loading={list.isPending}
          dataSource={items}
          locale={{ emptyText: t('instances.empty') }}
          renderItem={(item) => (
            <List.Item data-testid="instance-row">
              <Space direction="vertical" size={0} style={{ minWidth: 0, width: '100%' }}>
                <Typography.Text strong ellipsis>
                  {link(item)}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis>
                  {item.templateKey} v{item.version} · {when(item.startedAt)}
                </Typography.Text>
                <StatusTag item={item} />
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Table<InstanceItem>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t('instances.empty') }}
          onRow={() => ({ 'data-testid': 'instance-row' }) as object}
          rowSelection={
            mayCancel
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys.map(String)),
                  getCheckboxProps: (item) => ({ disabled: item.status !== 'running' && item.status !== 'incident' }),
                }
              : undefined
          }
          columns={[
            { key: 'businessKey', title: t('instances.columns.businessKey'), render: (_, item) => link(item) },
            {
              key: 'template',
              title: t('instances.columns.template'),
              render: (_, item) => `${item.templateKey} v${item.version}`,
            },
            { key: 'status', title: t('instances.columns.status'), render: (_, item) => <StatusTag item={item} /> },
            {
              key: 'current',
              title: t('instances.columns.currentSteps'),
              render: (_, item) => item.currentSteps.join(', ') || '—',
            },
            { key: 'started', title: t('instances.columns.started'), render: (_, item) => when(item.startedAt) },
            { key: 'ended', title: t('instances.columns.ended'), render: (_, item) => when(item.endedAt) },
          ]}
        />
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('instances.more')}
        </Button>
      )}
    </Space>
  );
}
