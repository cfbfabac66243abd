import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Card, Col, Descriptions, Result, Row, Skeleton, Space, Typography } from 'antd';
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

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="task-page">
      {back}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={13}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
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
                <Descriptions.Item label={t('task.process')}>{data.templateName ?? data.templateKey}</Descriptions.Item>
              </Descriptions>
              {data.description && (
                <Typography.Paragraph
                  style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
                  data-testid="task-description"
                >
                  {data.description}
                </Typography.Paragraph>
              )}
            </Card>
            <Card size="small" title={t('task.work')}>
              <TaskWork key={data.id} task={data} me={me.data} refetch={task.refetch} />
            </Card>
            <Card size="small" title={t('history.title')}>
              <TaskHistory task={data} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={11}>
          <BusinessContext task={data} />
        </Col>
      </Row>
    </Space>
  );
}
