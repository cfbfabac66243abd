import { Alert, Button, Descriptions, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPageProps } from '../LinkApp';
import { actOnLink, type LinkProblem, type TaskActionView } from '../link-api';
import { LinkProblemResult } from './LinkProblemResult';

/** Outcomes that turn something down get the danger colour, so "Reject" never looks like "Approve". */
const DECLINING = /^(reject|decline|deny|refuse|cancel)/i;

/**
 * A task mail's outcome button opens this: what will be recorded, for which task and as whom; the
 * outcome is recorded only on Confirm (mail scanners follow links, so a GET never acts).
 */
export function TaskActionPage({ token, locale, view }: LinkPageProps<TaskActionView>) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<'done' | LinkProblem | null>(null);
  const { task } = view;
  const label = outcomeLabelOf(task);
  const openTask = (
    <Button key="task" href={`/tasks/${encodeURIComponent(task.id)}`}>
      {t('problem.openTask')}
    </Button>
  );

  if (outcome === 'done') {
    return (
      <Result
        status="success"
        title={t('task.doneTitle', { outcome: label })}
        subTitle={t('task.doneDetail', { title: task.title })}
        extra={[openTask]}
      />
    );
  }
  if (outcome) return <LinkProblemResult problem={outcome} taskId={task.id} />;
  // A used link names who completed the task (usually the reader, through this very link).
  if (view.used) {
    const problem: LinkProblem = {
      status: 410,
      slug: 'link-used',
      title: '',
      completedBy: task.completedBy,
      completedAt: task.completedAt,
    };
    return <LinkProblemResult problem={problem} taskId={task.id} />;
  }
  if (task.status !== 'open') {
    const problem: LinkProblem = task.completedBy
      ? { status: 409, slug: 'task-closed', title: '', completedBy: task.completedBy, completedAt: task.completedAt }
      : { status: 409, slug: 'task-closed', title: '' };
    return <LinkProblemResult problem={problem} taskId={task.id} />;
  }

  const confirm = async () => {
    setSending(true);
    const trimmed = comment.trim();
    const result = await actOnLink(token, trimmed ? { comment: trimmed } : {}, locale);
    setSending(false);
    setOutcome(result.ok ? 'done' : result.problem);
  };

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('task.heading', { outcome: label })}
      </Typography.Title>
      <Alert
        type={DECLINING.test(task.outcome) ? 'warning' : 'info'}
        showIcon
        title={t('task.about', { outcome: label })}
        style={{ marginBottom: 16 }}
      />
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'task', label: t('task.task'), children: task.title },
          ...(task.description
            ? [
                {
                  key: 'description',
                  label: t('task.description'),
                  children: <span className="link-preline">{task.description}</span>,
                },
              ]
            : []),
          { key: 'outcome', label: t('task.outcome'), children: <strong>{label}</strong> },
          ...(view.recipientName ? [{ key: 'as', label: t('task.recordedAs'), children: view.recipientName }] : []),
        ]}
      />
      <Typography.Text strong style={{ display: 'block', marginTop: 16, marginBottom: 6 }}>
        {t('task.comment')}
      </Typography.Text>
      <Input.TextArea
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        placeholder={t('task.commentPlaceholder')}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={4000}
        aria-label={t('task.comment')}
      />
      <div className="link-actions">
        <Button
          type="primary"
          danger={DECLINING.test(task.outcome)}
          size="large"
          loading={sending}
          onClick={() => void confirm()}
        >
          {t('task.confirm', { outcome: label })}
        </Button>
        <Button size="large" href={`/tasks/${encodeURIComponent(task.id)}`}>
          {t('problem.openTask')}
        </Button>
      </div>
    </>
  );
}

/** The template's label; without one (the raw id, e.g. `sendBack`), the id made readable: "Send back". */
function outcomeLabelOf(task: TaskActionView['task']): string {
  if (task.outcomeLabel && task.outcomeLabel !== task.outcome) return task.outcomeLabel;
  const words = task.outcome
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
