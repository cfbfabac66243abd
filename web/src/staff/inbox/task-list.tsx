import { Link } from '@tanstack/react-router';
import { Card, Checkbox, Empty, List, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Task, TaskPriority } from '../api-types';
import { candidatesLabel } from '../../shared/role-label';
import { DueCountdown } from '../due-countdown';
import type { InboxSort, SortOrder } from './inbox-search';

export const PRIORITY_COLORS: Record<TaskPriority, string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export function PriorityTag({ priority }: { priority: TaskPriority }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} data-testid="priority">
      {t(`priority.${priority}`)}
    </Tag>
  );
}

export function StatusTag({ task }: { task: Task }) {
  const { t } = useTranslation();
  const color = task.status === 'open' ? 'processing' : task.status === 'completed' ? 'success' : 'default';
  return <Tag color={color}>{t(`status.${task.status}`)}</Tag>;
}

interface ListProps {
  tasks: Task[];
  loading: boolean;
  selected: string[];
  onSelect: (ids: string[]) => void;
  sort: InboxSort;
  order: SortOrder;
  onSort: (sort: InboxSort, order: SortOrder) => void;
}

const TaskLink = ({ task }: { task: Task }) => (
  <Link to="/tasks/$taskId" params={{ taskId: task.id }} data-testid="task-link">
    {task.title}
  </Link>
);

function Assignee({ task }: { task: Task }) {
  const { t } = useTranslation();
  if (task.assignee) return <span>{task.assigneeName ?? task.assignee}</span>;
  const who = candidatesLabel(t, task);
  return <Typography.Text type="secondary">{t('inbox.unassigned', { who })}</Typography.Text>;
}

/** The inbox at desk width: a table whose column sorters drive the URL's sort. */
export function TaskTable({ tasks, loading, selected, onSelect, sort, order, onSort }: ListProps) {
  const { t } = useTranslation();
  const sortOrderOf = (key: InboxSort) => (sort === key ? (order === 'asc' ? 'ascend' : 'descend') : null);
  const columns: TableProps<Task>['columns'] = [
    {
      key: 'title',
      title: t('inbox.columns.title'),
      render: (_, task) => (
        <Space orientation="vertical" size={0}>
          <TaskLink task={task} />
          {task.businessKey && <Typography.Text type="secondary">{task.businessKey}</Typography.Text>}
        </Space>
      ),
    },
    {
      key: 'template',
      title: t('inbox.columns.template'),
      sorter: true,
      sortOrder: sortOrderOf('template'),
      render: (_, task) => task.templateName,
    },
    {
      key: 'priority',
      title: t('inbox.columns.priority'),
      sorter: true,
      sortOrder: sortOrderOf('priority'),
      render: (_, task) => <PriorityTag priority={task.priority} />,
    },
    { key: 'assignee', title: t('inbox.columns.assignee'), render: (_, task) => <Assignee task={task} /> },
    {
      key: 'due',
      title: t('inbox.columns.due'),
      sorter: true,
      sortOrder: sortOrderOf('due'),
      render: (_, task) => (task.status === 'open' ? <DueCountdown dueAt={task.dueAt} /> : <StatusTag task={task} />),
    },
    {
      key: 'created',
      title: t('inbox.columns.created'),
      sorter: true,
      sortOrder: sortOrderOf('created'),
      render: (_, task) => dayjs(task.createdAt).format('L LT'),
    },
  ];
  return (
    <Table<Task>
      data-testid="task-table"
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={tasks}
      pagination={false}
      sortDirections={['ascend', 'descend', 'ascend']}
      rowSelection={{ selectedRowKeys: selected, onChange: (keys) => onSelect(keys.map(String)) }}
      onRow={(task) => ({ 'data-testid': 'task-row', 'data-task-id': task.id }) as object}
      onChange={(_, __, sorter) => {
        const one = Array.isArray(sorter) ? sorter[0] : sorter;
        if (one?.columnKey) onSort(one.columnKey as InboxSort, one.order === 'descend' ? 'desc' : 'asc');
      }}
    />
  );
}

/** The inbox at phone width: one card per task, the same selection. */
export function TaskCards({ tasks, loading, selected, onSelect }: ListProps) {
  const { t } = useTranslation();
  const toggle = (id: string, on: boolean) => onSelect(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <List
      data-testid="task-cards"
      loading={loading}
      dataSource={tasks}
      locale={{ emptyText: <Empty description={t('inbox.empty')} /> }}
      renderItem={(task) => (
        <Card
          size="small"
          style={{ marginBottom: 8 }}
          data-testid="task-card"
          data-task-id={task.id}
          styles={{ body: { padding: 12 } }}
        >
          <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
            <Checkbox
              checked={selected.includes(task.id)}
              onChange={(e) => toggle(task.id, e.target.checked)}
              aria-label={t('inbox.select')}
            />
            <div style={{ minWidth: 0, flex: 1 }}>
              <div style={{ overflowWrap: 'anywhere' }}>
                <TaskLink task={task} />
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {task.templateName}
                {task.businessKey ? ` · ${task.businessKey}` : ''}
              </Typography.Text>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 4, alignItems: 'center' }}>
                <PriorityTag priority={task.priority} />
                {task.status === 'open' ? <DueCountdown dueAt={task.dueAt} /> : <StatusTag task={task} />}
                <Assignee task={task} />
              </div>
            </div>
          </div>
        </Card>
      )}
    />
  );
}
