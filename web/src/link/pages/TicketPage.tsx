import { Alert, App, Button, Input, Result, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPageProps } from '../LinkApp';
import { actOnLink, type LinkProblem, type TicketHistoryEntry, type TicketView } from '../link-api';
import { formatTime } from '../link-locale';
import { LinkProblemResult } from './LinkProblemResult';

const STATUS_COLOURS: Record<string, string> = {
  open: 'blue',
  acknowledged: 'blue',
  'in-progress': 'processing',
  resolved: 'green',
  closed: 'default',
  reopened: 'orange',
};

/**
 * A customer's ticket as they may see it (subject, status, what happened), and once it is resolved
 * their answer: "problem solved" closes it, "still a problem" reopens it with what is still wrong.
 */
export function TicketPage({ token, locale, view, onView }: LinkPageProps<TicketView>) {
  const { t } = useTranslation();
  // The App context's modal, unlike Modal.confirm, follows the page's language and theme.
  const { modal } = App.useApp();
  const [reopening, setReopening] = useState(false);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState<'confirm' | 'reopen' | null>(null);
  const [outcome, setOutcome] = useState<'confirmed' | 'reopened' | LinkProblem | null>(null);
  const { ticket } = view;

  const act = async (action: 'confirm' | 'reopen') => {
    setSending(action);
    const trimmed = comment.trim();
    const result = await actOnLink(
      token,
      action === 'reopen' && trimmed ? { action, comment: trimmed } : { action },
      locale,
    );
    setSending(null);
    if (!result.ok) return setOutcome(result.problem);
    if (result.value.kind === 'ticket') onView({ ...view, ...result.value } as TicketView);
    setOutcome(action === 'confirm' ? 'confirmed' : 'reopened');
  };

  const confirm = () =>
    modal.confirm({
      title: t('ticket.confirmTitle'),
      content: t('ticket.confirmDetail'),
      okText: t('ticket.solved'),
      cancelText: t('ticket.cancel'),
      onOk: () => act('confirm'),
    });

  if (outcome === 'confirmed')
    return <Result status="success" title={t('ticket.confirmedTitle')} subTitle={t('ticket.confirmedDetail')} />;
  if (outcome === 'reopened')
    return <Result status="info" title={t('ticket.reopenedTitle')} subTitle={t('ticket.reopenedDetail')} />;
  if (outcome) return <LinkProblemResult problem={outcome} />;

  const history = (ticket.history ?? milestonesOf(ticket)).toSorted((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <Typography.Text type="secondary">{t('ticket.number', { id: ticket.id })}</Typography.Text>
      <Typography.Title level={4} style={{ marginTop: 4 }}>
        {ticket.subject}
      </Typography.Title>
      <div className="link-status">
        <Tag color={STATUS_COLOURS[ticket.status] ?? 'default'}>{statusLabel(t, ticket.status)}</Tag>
        {ticket.createdAt && (
          <Typography.Text type="secondary">
            {t('ticket.opened', { time: formatTime(ticket.createdAt) })}
          </Typography.Text>
        )}
      </div>
      {ticket.body && (
        <Typography.Paragraph
          className="link-preline"
          ellipsis={{ rows: 6, expandable: true, symbol: t('ticket.more') }}
        >
          {ticket.body}
        </Typography.Paragraph>
      )}
      {ticket.resolution && (
        <Alert
          type="success"
          showIcon
          title={t('ticket.resolution')}
          description={ticket.resolution}
          style={{ marginBottom: 16 }}
        />
      )}
      {history.length > 0 && (
        <>
          <Typography.Title level={5}>{t('ticket.history')}</Typography.Title>
          <Timeline
            items={history.map((entry, index) => ({
              key: `${entry.at}-${index}`,
              content: (
                <>
                  <div>{eventLabel(t, entry.type, entry.status)}</div>
                  <Typography.Text type="secondary" className="link-when">
                    {formatTime(entry.at)}
                  </Typography.Text>
                  {entry.text && <div className="link-preline">{entry.text}</div>}
                </>
              ),
            }))}
          />
        </>
      )}
      {view.used && !view.mayConfirm && !view.mayReopen && (
        <Alert type="info" showIcon title={t('ticket.answered')} style={{ marginTop: 8 }} />
      )}
      {(view.mayConfirm || view.mayReopen) && !reopening && (
        <>
          <Typography.Paragraph strong style={{ marginTop: 8 }}>
            {t('ticket.question')}
          </Typography.Paragraph>
          <div className="link-actions">
            {view.mayConfirm && (
              <Button type="primary" size="large" loading={sending === 'confirm'} onClick={confirm}>
                {t('ticket.solved')}
              </Button>
            )}
            {view.mayReopen && (
              <Button size="large" danger onClick={() => setReopening(true)}>
                {t('ticket.stillProblem')}
              </Button>
            )}
          </div>
        </>
      )}
      {reopening && (
        <>
          <Typography.Paragraph strong style={{ marginTop: 8, marginBottom: 6 }}>
            {t('ticket.reopenLabel')}
          </Typography.Paragraph>
          <Input.TextArea
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={4000}
            placeholder={t('ticket.reopenPlaceholder')}
            aria-label={t('ticket.reopenLabel')}
          />
          <div className="link-actions">
            <Button
              type="primary"
              danger
              size="large"
              disabled={comment.trim() === ''}
              loading={sending === 'reopen'}
              onClick={() => void act('reopen')}
            >
              {t('ticket.reopen')}
            </Button>
            <Button size="large" onClick={() => setReopening(false)}>
              {t('ticket.cancel')}
            </Button>
          </div>
        </>
      )}
    </>
  );
}

/** The ticket's dated milestones, for an API that gives those rather than a history. */
function milestonesOf(ticket: TicketView['ticket']): TicketHistoryEntry[] {
  const entries: [string, string | null | undefined][] = [
    ['opened', ticket.createdAt],
    ['responded', ticket.respondedAt],
    ['resolved', ticket.resolvedAt],
    ['closed', ticket.closedAt],
  ];
  return entries.flatMap(([type, at]) => (at ? [{ at, type }] : []));
}

type Translate = ReturnType<typeof useTranslation>['t'];

function statusLabel(t: Translate, status: string): string {
  return t(`ticket.status.${status}`, { defaultValue: status });
}

function eventLabel(t: Translate, type: string | undefined, status: string | undefined): string {
  if (type) return t(`ticket.event.${type}`, { defaultValue: status ? statusLabel(t, status) : type });
  return status ? statusLabel(t, status) : '';
}
