import { Descriptions, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { roleLabel } from '../../shared/role-label';
import type { Page } from '../api-types';
import { DueCountdown } from '../due-countdown';
import { recordPath, RecordView, useRecord, useTimeline } from './record-query';

interface Ticket {
  id: string;
  subject: string;
  body: string;
  category: string;
  priority: string;
  status: string;
  queue: string | null;
  assigneeId: string | null;
  redAlert: boolean;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  respondedAt: string | null;
  resolvedAt: string | null;
}

function SlaClock({ dueAt, metAt }: { dueAt: string | null; metAt: string | null }) {
  const { t } = useTranslation();
  if (metAt) {
    const late = dueAt !== null && dayjs(metAt).isAfter(dueAt);
    return (
      <Typography.Text type={late ? 'danger' : 'success'}>
        {t(late ? 'context.ticket.metLate' : 'context.ticket.met', { at: dayjs(metAt).format('L LT') })}
      </Typography.Text>
    );
  }
  return <DueCountdown dueAt={dueAt} />;
}

export function TicketContext({ ticketId, instanceId }: { ticketId: string; instanceId: string }) {
  const { t } = useTranslation();
  const ticket = useRecord<Ticket>(recordPath('tickets', ticketId));
  const timeline = useTimeline(instanceId);
  const escalations = (timeline.data?.items ?? []).filter((entry) => entry.type === 'task.escalated');
  return (
    <RecordView query={ticket}>
      {(data) => (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="ticket-context">
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('context.ticket.subject')} span={2}>
              {data.subject}
            </Descriptions.Item>
            <Descriptions.Item label={t('context.status')}>
              <Tag>{t(`context.ticket.statuses.${data.status}`, { defaultValue: data.status })}</Tag>
              {data.redAlert && <Tag color="red">{t('context.ticket.redAlert')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('context.ticket.priority')}>
              {t(`priority.${data.priority}`, { defaultValue: data.priority })}
            </Descriptions.Item>
            <Descriptions.Item label={t('context.ticket.responseDue')}>
              <SlaClock dueAt={data.responseDueAt} metAt={data.respondedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('context.ticket.resolutionDue')}>
              <SlaClock dueAt={data.resolutionDueAt} metAt={data.resolvedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('context.ticket.queue')}>
              {data.queue ? roleLabel(t, data.queue) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('context.ticket.escalation')}>
              <span data-testid="escalation-level">{t('context.ticket.level', { level: escalations.length })}</span>
              {escalations.map((entry) => (
                <div key={entry.seq}>
                  <Typography.Text type="secondary">{dayjs(entry.at).format('L LT')}</Typography.Text>
                </div>
              ))}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 6, expandable: true }}>
            {data.body}
          </Typography.Paragraph>
        </Space>
      )}
    </RecordView>
  );
}

interface Invitation {
  id: string;
  triggerRef: string;
  status: string;
  remindersSent: number;
  expiresAt: string | null;
  response?: { answers: Record<string, unknown>; score: number | null } | null;
}

/** The survey the process invited the customer to: its state and, once answered, the response. */
export function SurveyContext({ triggerRef }: { triggerRef: string }) {
  const { t } = useTranslation();
  const invitations = useQuery({
    queryKey: ['record', 'survey-invitations', triggerRef],
    queryFn: () => api<Page<Invitation>>('/survey-invitations', { query: { limit: 100 } }),
    retry: false,
  });
  return (
    <RecordView query={invitations}>
      {(page) => {
        const invitation = page.items.find((item) => item.triggerRef === triggerRef);
        if (!invitation) return <Typography.Text type="secondary">{t('context.notVisible')}</Typography.Text>;
        return (
          <Descriptions size="small" column={1} bordered data-testid="survey-context">
            <Descriptions.Item label={t('context.status')}>{invitation.status}</Descriptions.Item>
            <Descriptions.Item label={t('context.survey.reminders')}>{invitation.remindersSent}</Descriptions.Item>
            <Descriptions.Item label={t('context.survey.expires')}>
              <DueCountdown dueAt={invitation.expiresAt} />
            </Descriptions.Item>
            {invitation.response && (
              <Descriptions.Item label={t('context.survey.score')}>
                {invitation.response.score ?? '—'}
              </Descriptions.Item>
            )}
            {invitation.response &&
              Object.entries(invitation.response.answers).map(([question, answer]) => (
                <Descriptions.Item key={question} label={question}>
                  {Array.isArray(answer) ? answer.join(', ') : String(answer)}
                </Descriptions.Item>
              ))}
          </Descriptions>
        );
      }}
    </RecordView>
  );
}
