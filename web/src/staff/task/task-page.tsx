import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Card, Col, Descriptions, Grid, Result, Row, Skeleton, Space, Typography } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import type { Task } from '../api-types';
import { DueCountdown } from '../due-countdown';
import { PriorityTag, StatusTag } from '../inbox/task-list';
import { useMe } from '../session';
import { BusinessContext } from './business-context';
import { TaskHistory } from './task-history';
import { TaskWork } from './task-work';

const route = getRouteApi('/shell/tasks/$taskId');

export function TaskPage() {
  const { t } = useTranslation();
  const { taskId } = route.useParams();
  const me = useMe();
  const wide = Grid.useBreakpoint().lg ?? false;
  const task = useQuery({
    queryKey: ['task', taskId],
    queryFn: ({ signal }) => api<Task>(`/tasks/${encodeURIComponent(taskId)}`, { signal }),
    retry: false,
  });

  const back = (
    <Link to="/inbox" data-testid="back-to-inbox">
      <ArrowLeftOutlined /> {t('task.back')}
    </Link>
  );
  if (task.isError) {
    return (
      <Result
        status={isApiError(task.error, 404) ? '404' : 'error'}
        title={isApiError(task.error, 404) ? t('task.notFound') : problemMessage(t, task.error)}
        extra={back}
      />
    );
  }
  if (task.isPending || !me.data) return <Skeleton active />;
  const data = task.data;

  const header = (
    <Card size="small">
      <Typography.Title level={4} style={{ marginTop: 0, overflowWrap: 'anywhere' }} data-testid="task-title">
        {data.title}
      </Typography.Title>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('task.status')}>
          <span data-testid="task-status">
            <StatusTag task={data} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('task.priority')}>
          <PriorityTag priority={data.priority} />
        </Descriptions.Item>
        <Descriptions.Item label={t('task.due')}>
          <DueCountdown dueAt={data.dueAt} closed={data.status !== 'open'} />
        </Descriptions.Item>
        <Descriptions.Item label={t('task.process')}>{data.templateName}</Descriptions.Item>
      </Descriptions>
      {data.description && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="task-description">
          {data.description}
        </Typography.Paragraph>
      )}
    </Card>
  );
  const work = (
    <Card size="small" title={t('task.work')}>
      <TaskWork key={data.id} task={data} me={me.data} refetch={task.refetch} />
    </Card>
  );
  const history = (
    <Card size="small" title={t('history.title')}>
      <TaskHistory task={data} />
    </Card>
  );
  const context = <BusinessContext task={data} />;
  const column = (...cards: ReactNode[]) => (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {cards.map((card, index) => (
        <Fragment key={index}>{card}</Fragment>
      ))}
    </Space>
  );

  // At desk width the decision and the record sit side by side; on a phone the record comes
  // before the decision, which is made after reading it.
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="task-page">
      {back}
      {wide ? (
        <Row gutter={16}>
          <Col span={13}>{column(header, work, history)}</Col>
          <Col span={11}>{context}</Col>
        </Row>
      ) : (
        column(header, context, work, history)
      )}
    </Space>
  );
}
