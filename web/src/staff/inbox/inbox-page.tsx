import { SortAscendingOutlined, SortDescendingOutlined } from '@ant-design/icons';
import { getRouteApi } from '@tanstack/react-router';
import { Alert, Badge, Button, Grid, Input, Select, Space, Tabs } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import { PRIORITIES, type SavedView } from '../api-types';
import { BulkActions, BulkResults, type BulkOutcome } from './bulk-actions';
import { useTaskCounts, useTaskList } from './inbox-queries';
import { hasListParams, searchOfQuery, SORTS, VIEWS, withDefaults, type InboxSearch } from './inbox-search';
import { SavedViews } from './saved-views';
import { TaskCards, TaskTable } from './task-list';

const route = getRouteApi('/shell/inbox');

export function InboxPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const { view, sort, order } = withDefaults(search);
  const counts = useTaskCounts();
  const list = useTaskList(search);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);
  const [viewError, setViewError] = useState<string | null>(null);
  const [text, setText] = useState(search.q ?? '');
  useEffect(() => setText(search.q ?? ''), [search.q]);

  // A link to a saved view names only the view: fill in its filters (the URL then shows them).
  useEffect(() => {
    if (!search.savedView || hasListParams(search)) return;
    const id = search.savedView;
    api<SavedView>(`/task-views/${encodeURIComponent(id)}`)
      .then((saved) => {
        setViewError(null);
        void navigate({ search: { ...searchOfQuery(saved.query), savedView: id }, replace: true });
      })
      .catch((failure: unknown) => setViewError(problemMessage(t, failure)));
  }, [search, navigate, t]);

  const tasks = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const selectedTasks = tasks.filter((task) => selected.includes(task.id));
  // Changing the filters leaves the saved view it came from.
  const update = (change: Partial<InboxSearch>) => {
    setSelected([]);
    void navigate({ search: (previous) => ({ ...previous, ...change, savedView: undefined }) });
  };
  const templates = useMemo(() => {
    const known = new Map<string, string>();
    for (const task of tasks) known.set(task.templateKey, task.templateName);
    if (search.template && !known.has(search.template)) known.set(search.template, search.template);
    return [...known].map(([value, label]) => ({ value, label }));
  }, [tasks, search.template]);

  const listProps = {
    tasks,
    loading: list.isPending,
    selected,
    onSelect: setSelected,
    sort,
    order,
    onSort: (nextSort: (typeof SORTS)[number], nextOrder: 'asc' | 'desc') =>
      update({ sort: nextSort, order: nextOrder }),
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="inbox">
      <Tabs
        activeKey={view}
        size={phone ? 'small' : 'middle'}
        tabBarGutter={phone ? 14 : undefined}
        onChange={(key) => update({ view: key as InboxSearch['view'] })}
        items={VIEWS.map((key) => ({
          key,
          label: (
            <span data-testid={`tab-${key}`}>
              {t(`inbox.views.tab.${key}`)}{' '}
              {counts?.[key] !== undefined && (
                <Badge
                  data-testid={`count-${key}`}
                  size={phone ? 'small' : 'default'}
                  count={counts[key]}
                  showZero
                  overflowCount={999}
                  color={key === 'done' ? 'gray' : undefined}
                />
              )}
            </span>
          ),
        }))}
      />
      <Space wrap size="small" style={{ width: '100%' }}>
        <Input.Search
          data-testid="filter-text"
          allowClear
          placeholder={t('inbox.filters.text')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => update({ q: value.trim() || undefined })}
          style={{ width: phone ? '100%' : 240 }}
        />
        <Select
          data-testid="filter-template"
          allowClear
          placeholder={t('inbox.filters.template')}
          value={search.template ?? null}
          onChange={(value: string | null | undefined) => update({ template: value ?? undefined })}
          options={templates}
          style={{ minWidth: 160 }}
        />
        <Select
          data-testid="filter-priority"
          allowClear
          placeholder={t('inbox.filters.priority')}
          value={search.priority ?? null}
          onChange={(value: InboxSearch['priority'] | null | undefined) => update({ priority: value ?? undefined })}
          options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
          style={{ minWidth: 120 }}
        />
        <Select
          data-testid="sort"
          aria-label={t('inbox.sort.label')}
          value={sort}
          onChange={(value) => update({ sort: value })}
          options={SORTS.map((value) => ({ value, label: t(`inbox.sort.${value}`) }))}
          style={{ minWidth: 130 }}
        />
        <Button
          data-testid="sort-order"
          aria-label={t(`inbox.sort.${order}`)}
          title={t(`inbox.sort.${order}`)}
          icon={order === 'asc' ? <SortAscendingOutlined /> : <SortDescendingOutlined />}
          onClick={() => update({ order: order === 'asc' ? 'desc' : 'asc' })}
        />
        <SavedViews search={search} />
      </Space>
      {viewError && <Alert type="error" showIcon title={viewError} />}
      {bulkOutcome && <BulkResults outcome={bulkOutcome} onClose={() => setBulkOutcome(null)} />}
      {selectedTasks.length > 0 && (
        <BulkActions
          selected={selectedTasks}
          onDone={(outcome) => {
            setBulkOutcome(outcome);
            setSelected([]);
          }}
        />
      )}
      {list.isError && <Alert type="error" showIcon title={problemMessage(t, list.error)} />}
      {phone ? <TaskCards {...listProps} /> : <TaskTable {...listProps} />}
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('inbox.more')}
        </Button>
      )}
    </Space>
  );
}
