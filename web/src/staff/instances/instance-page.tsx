import { ExportOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Popconfirm,
  Result,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import { StatusTag } from './instance-list-page';
import type { InstanceDetail, InstanceStateAnswer, TimelineItem } from './instance-types';
import type { StepState } from '../diagram/plan-diagram';
import { planSteps, stepStatesOf } from './step-states';

const route = getRouteApi('/shell/instances/$id');
// xyflow + elk: a chunk of their own, loaded with the first diagram.
const PlanDiagram = lazy(() => import('../diagram/plan-diagram'));
const POLL_MS = 5_000;
const STATE_COLORS: Record<StepState, string> = {
  done: 'success',
  current: 'processing',
  waiting: 'warning',
  failed: 'error',
  skipped: 'default',
};

/** Where the eye goes first: a failed step, else one waiting, else one running (the diagram centres on it). */
const focusOf = (states: Record<string, StepState>): string | null => {
  const paths = Object.keys(states);
  for (const wanted of ['failed', 'waiting', 'current'] as const) {
    const found = paths.filter((path) => states[path] === wanted).at(-1);
    if (found) return found;
  }
  return null;
};

const json = (value: unknown) => (
  <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxWidth: '100%' }}>
    {JSON.stringify(value, null, 2)}
  </pre>
);

/** One instance: its path on the diagram, timeline, values, events, timers and the actions the reader may take. */
export function InstancePage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  const queryClient = useQueryClient();
  const [selectedPath, setSelectedPath] = useState<string | undefined>();
  const [eventOpen, setEventOpen] = useState(false);
  const [varsOpen, setVarsOpen] = useState(false);
  const phone = !Grid.useBreakpoint().md;
  const refetchInterval = (query: { state: { data?: { status: string } } }) =>
    query.state.data?.status === 'running' ? POLL_MS : false;
  const detail = useQuery({
    queryKey: ['instances', 'detail', id],
    queryFn: ({ signal }) => api<InstanceDetail>(`/instances/${encodeURIComponent(id)}`, { signal }),
    refetchInterval,
  });
  const timeline = useQuery({
    queryKey: ['instances', 'timeline', id],
    queryFn: ({ signal }) =>
      api<{ items: TimelineItem[] }>(`/instances/${encodeURIComponent(id)}/timeline`, { signal }),
    enabled: detail.isSuccess,
    refetchInterval: live(detail.data?.status) ? POLL_MS : false,
  });
  const state = useQuery({
    queryKey: ['instances', 'state', id],
    queryFn: ({ signal }) => api<InstanceStateAnswer>(`/instances/${encodeURIComponent(id)}/state`, { signal }),
    enabled: detail.isSuccess,
    refetchInterval: live(detail.data?.status) ? POLL_MS : false,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['instances'] });
  const action = useMutation({
    mutationFn: (request: { path: string; body?: unknown; method?: 'POST' | 'PATCH' }) =>
      api(`/instances/${encodeURIComponent(id)}${request.path}`, {
        method: request.method ?? 'POST',
        body: request.body,
      }),
    onSettled: refresh,
  });

  const plan = detail.data?.plan ?? null;
  const entries = timeline.data?.items ?? [];
  const stepStates = useMemo(
    () => stepStatesOf(plan, entries, detail.data?.incidents ?? []),
    [plan, entries, detail.data?.incidents],
  );
  const stepNotes = useMemo(() => {
    const notes: Record<string, string> = {};
    const results = state.data?.steps;
    if (!results) return notes;
    for (const [path, step] of planSteps(plan))
      if (step.id in results) notes[path] = JSON.stringify(results[step.id]).slice(0, 400);
    return notes;
  }, [plan, state.data?.steps]);

  if (detail.isPending) return <Spin />;
  if (detail.isError)
    return (
      <Result
        status={isApiError(detail.error, 404) ? '404' : 'error'}
        title={isApiError(detail.error, 404) ? t('instances.notFound') : problemMessage(t, detail.error)}
        extra={<Link to="/instances">{t('instances.backToList')}</Link>}
      />
    );
  const instance = detail.data;
  const when = (iso: string | null | undefined) => (iso ? dayjs(iso).format('L LTS') : '—');
  const steps = planSteps(plan);
  const stateRows = Object.entries(stepStates).map(([path, stepState]) => ({
    path,
    id: steps.get(path)?.id ?? path,
    kind: steps.get(path)?.kind ?? '',
    state: stepState,
  }));
  const visibility = state.data?.visibility;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', minWidth: 0 }} data-testid="instance-page">
      <Link to="/instances">{t('instances.backToList')}</Link>
      <Space wrap align="center">
        <Typography.Title level={3} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="instance-title">
          {instance.businessKey ?? instance.id}
        </Typography.Title>
        <StatusTag item={{ status: instance.status, incidentCount: instance.incidents.length }} />
      </Space>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
        items={[
          {
            key: 'template',
            label: t('instances.columns.template'),
            children: `${instance.templateName ?? instance.templateKey} (${instance.templateKey} v${instance.version})`,
          },
          { key: 'started', label: t('instances.columns.started'), children: when(instance.startedAt) },
          { key: 'ended', label: t('instances.columns.ended'), children: when(instance.endedAt) },
          {
            key: 'id',
            label: t('instances.id'),
            children: <Typography.Text style={{ wordBreak: 'break-all' }}>{instance.id}</Typography.Text>,
          },
          ...(instance.parentId
            ? [
                {
                  key: 'parent',
                  label: t('instances.parent'),
                  children: (
                    <Link to="/instances/$id" params={{ id: instance.parentId }}>
                      {instance.parentId}
                    </Link>
                  ),
                },
              ]
            : []),
          {
            key: 'temporal',
            label: 'Temporal',
            children: (
              <a href={instance.temporalUrl} target="_blank" rel="noreferrer" data-testid="temporal-link">
                {t('instances.openInTemporal')} <ExportOutlined />
              </a>
            ),
          },
        ]}
      />
      <Space wrap>
        {instance.allowed.cancel && (
          <Popconfirm
            title={t('instances.cancelConfirm')}
            okText={t('instances.cancelOk')}
            cancelText={t('instances.cancelButton')}
            onConfirm={() => action.mutate({ path: '/cancel' })}
          >
            <Button danger data-testid="instance-cancel">
              {t('instances.cancelInstance')}
            </Button>
          </Popconfirm>
        )}
        {instance.allowed.retry && (
          <Button type="primary" onClick={() => action.mutate({ path: '/retry' })} data-testid="instance-retry">
            {t('instances.retry')}
          </Button>
        )}
        {instance.allowed.editVariables && (
          <Button onClick={() => setVarsOpen(true)} data-testid="instance-edit-vars">
            {t('instances.editVariables')}
          </Button>
        )}
        {instance.allowed.fail && (
          <Popconfirm
            title={t('instances.failConfirm')}
            okText={t('instances.failOk')}
            cancelText={t('instances.cancelButton')}
            onConfirm={() => action.mutate({ path: '/fail' })}
          >
            <Button danger data-testid="instance-fail">
              {t('instances.failInstance')}
            </Button>
          </Popconfirm>
        )}
        {instance.allowed.sendEvent && (
          <Button onClick={() => setEventOpen(true)} data-testid="instance-send-event">
            {t('instances.sendEvent')}
          </Button>
        )}
      </Space>
      {action.isError && <Alert type="error" showIcon title={problemMessage(t, action.error)} />}
      {action.isSuccess && <Alert type="success" showIcon closable title={t('instances.actionAccepted')} />}
      {instance.incidents.map((incident) => (
        <Alert
          key={incident.activityId}
          type="error"
          showIcon
          data-testid="instance-incident"
          title={t('instances.incident', { activity: incident.activityType, attempt: incident.attempt })}
          description={
            <Typography.Text style={{ wordBreak: 'break-word' }}>
              {incident.message} · {t('instances.since', { time: when(incident.firstFailedAt) })}
            </Typography.Text>
          }
        />
      ))}
      {(instance.stepIncidents ?? []).map((incident) => (
        <Alert
          key={`${incident.path}@${incident.iteration}`}
          type="error"
          showIcon
          data-testid="instance-step-incident"
          title={t('instances.stepIncident', { step: incident.stepId, code: incident.code })}
          description={
            <Typography.Text style={{ wordBreak: 'break-word' }}>
              {incident.failedStepId !== incident.stepId && `${incident.failedStepId}: `}
              {incident.message} · {t('instances.since', { time: when(incident.since) })}
            </Typography.Text>
          }
        />
      ))}
      {instance.status !== 'incident' && instance.error !== undefined && instance.error !== null && (
        <Alert type="error" showIcon title={t('instances.error')} description={json(instance.error)} />
      )}
      <Card
        size="small"
        title={t('instances.diagram')}
        data-testid="instance-diagram"
        // Each step id's state, for tests and tools: the drawing itself is a canvas of nodes.
        data-step-states={JSON.stringify(Object.fromEntries(stateRows.map((row) => [row.id, row.state])))}
      >
        {plan ? (
          <Suspense fallback={<Spin />}>
            <PlanDiagram
              plan={plan}
              stepStates={stepStates}
              stepNotes={stepNotes}
              selectedPath={selectedPath ?? focusOf(stepStates)}
              onSelectStep={setSelectedPath}
              height={phone ? 420 : 520}
            />
          </Suspense>
        ) : (
          <Table
            size="small"
            rowKey="path"
            pagination={false}
            dataSource={stateRows}
            data-testid="instance-path"
            columns={[
              { key: 'id', title: t('instances.step'), dataIndex: 'id' },
              { key: 'kind', title: t('instances.kind'), dataIndex: 'kind' },
              {
                key: 'state',
                title: t('instances.columns.status'),
                render: (_, row) => <Tag color={STATE_COLORS[row.state]}>{t(`instances.stepState.${row.state}`)}</Tag>,
              },
            ]}
          />
        )}
      </Card>
      <Tabs
        items={[
          {
            key: 'timeline',
            label: t('instances.tabs.timeline'),
            children: (
              <Timeline
                data-testid="instance-timeline"
                items={entries.map((entry) => ({
                  key: entry.seq,
                  color: entry.type.endsWith('failed') ? 'red' : entry.type.endsWith('completed') ? 'green' : 'blue',
                  content: (
                    <Space direction="vertical" size={0}>
                      <Typography.Text>
                        {t(`instances.timelineTypes.${entry.type}`, { defaultValue: entry.type })}
                        {entry.stepId ? ` · ${entry.stepId}` : ''}
                      </Typography.Text>
                      <Typography.Text type="secondary">{when(entry.at)}</Typography.Text>
                    </Space>
                  ),
                }))}
              />
            ),
          },
          {
            key: 'values',
            label: t('instances.tabs.values'),
            children:
              visibility === 'structure' ? (
                <Alert type="info" showIcon title={t('instances.valuesHidden')} />
              ) : (
                <Descriptions
                  size="small"
                  column={1}
                  bordered
                  data-testid="instance-values"
                  items={[
                    ...Object.entries(state.data?.vars ?? {}).map(([name, value]) => ({
                      key: `var-${name}`,
                      label: `vars.${name}`,
                      children: json(value),
                    })),
                    ...Object.entries(state.data?.steps ?? {}).map(([name, value]) => ({
                      key: `step-${name}`,
                      label: `steps.${name}`,
                      children: json(value),
                    })),
                  ]}
                />
              ),
          },
          {
            key: 'tasks',
            label: t('instances.tabs.tasks', { count: state.data?.tasks.length ?? 0 }),
            children: (
              <List
                dataSource={state.data?.tasks ?? []}
                locale={{ emptyText: <Empty description={t('instances.noTasks')} /> }}
                renderItem={(task) => (
                  <List.Item>
                    <Space direction="vertical" size={0}>
                      <Typography.Text strong>{task.title}</Typography.Text>
                      <Typography.Text type="secondary">
                        {task.assignee ?? task.candidateRole ?? '—'} · {t('instances.due', { time: when(task.dueAt) })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'events',
            label: t('instances.tabs.events'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <List
                  header={t('instances.eventsReceived')}
                  dataSource={state.data?.events.received ?? []}
                  locale={{ emptyText: t('instances.none') }}
                  renderItem={(event) => (
                    <List.Item>
                      {event.event} · {when(event.at)}
                    </List.Item>
                  )}
                />
                <List
                  header={t('instances.eventsIgnored')}
                  dataSource={state.data?.events.ignored ?? []}
                  locale={{ emptyText: t('instances.none') }}
                  renderItem={(event) => (
                    <List.Item>
                      {event.event} · {when(event.at)}
                    </List.Item>
                  )}
                />
                <List
                  header={t('instances.eventsBuffered')}
                  dataSource={state.data?.events.buffered ?? []}
                  locale={{ emptyText: t('instances.none') }}
                  renderItem={(event) => (
                    <List.Item>
                      <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
                        <Typography.Text>{event.event}</Typography.Text>
                        {event.payload !== undefined && json(event.payload)}
                      </Space>
                    </List.Item>
                  )}
                />
              </Space>
            ),
          },
          {
            key: 'timers',
            label: t('instances.tabs.timers'),
            children: (
              <List
                dataSource={state.data?.timers ?? []}
                locale={{ emptyText: t('instances.none') }}
                renderItem={(timer) => (
                  <List.Item>
                    {t(`instances.timerKinds.${timer.kind}`)} · {timer.stepId} ·{' '}
                    {timer.fireAt ? when(timer.fireAt) : t('instances.timerUnknown')}
                  </List.Item>
                )}
              />
            ),
          },
        ]}
      />
      <VariablesDialog
        open={varsOpen}
        vars={state.data?.vars ?? null}
        onClose={() => setVarsOpen(false)}
        onSave={(vars) => action.mutate({ path: '/variables', method: 'PATCH', body: { vars } })}
      />
      <SendEventDialog
        open={eventOpen}
        onClose={() => setEventOpen(false)}
        onSend={(event, payload) => action.mutate({ path: '/events', body: { event, payload } })}
      />
    </Space>
  );
}

/** Running or held in incident: the page keeps polling while the instance can still change. */
function live(status: string | undefined): boolean {
  return status === 'running' || status === 'incident';
}

/** The instance's variables as JSON, to fix a value a step could not use before retrying it. */
function VariablesDialog(props: {
  open: boolean;
  vars: Record<string, unknown> | null;
  onClose: () => void;
  onSave: (vars: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ vars: string }>();
  return (
    <Modal
      open={props.open}
      title={t('instances.editVariables')}
      okText={t('instances.save')}
      cancelText={t('instances.cancelButton')}
      onCancel={props.onClose}
      afterOpenChange={(open) => {
        if (open) form.setFieldsValue({ vars: JSON.stringify(props.vars ?? {}, null, 2) });
      }}
      onOk={() =>
        void form.validateFields().then((values) => {
          props.onSave(JSON.parse(values.vars) as Record<string, unknown>);
          props.onClose();
        })
      }
    >
      <Typography.Paragraph type="secondary">{t('instances.editVariablesHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="vars"
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                const parsed: unknown = JSON.parse(value ?? '');
                if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('object');
              },
              message: t('instances.invalidVariables'),
            },
          ]}
        >
          <Input.TextArea rows={10} data-testid="instance-vars-json" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SendEventDialog(props: {
  open: boolean;
  onClose: () => void;
  onSend: (event: string, payload: unknown) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ event: string; payload?: string }>();
  return (
    <Modal
      open={props.open}
      title={t('instances.sendEvent')}
      okText={t('instances.send')}
      cancelText={t('instances.cancelButton')}
      onCancel={props.onClose}
      onOk={() =>
        void form.validateFields().then((values) => {
          props.onSend(values.event.trim(), values.payload?.trim() ? (JSON.parse(values.payload) as unknown) : null);
          form.resetFields();
          props.onClose();
        })
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="event" label={t('instances.eventName')} rules={[{ required: true }]}>
          <Input placeholder="stock.received" />
        </Form.Item>
        <Form.Item
          name="payload"
          label={t('instances.eventPayload')}
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                if (value?.trim()) JSON.parse(value);
              },
              message: t('instances.invalidJson'),
            },
          ]}
        >
          <Input.TextArea rows={4} placeholder='{ "orderId": "O-1" }' />
        </Form.Item>
      </Form>
    </Modal>
  );
}
