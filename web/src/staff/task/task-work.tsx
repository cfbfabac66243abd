import { UndoOutlined, UserAddOutlined } from '@ant-design/icons';
import type CoreForm from '@rjsf/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Alert, App, Button, Input, Skeleton, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import { candidatesLabel } from '../../shared/role-label';
import { outcomeLabel, type Me, type Task } from '../api-types';
import { TASKS_KEY } from '../inbox/inbox-queries';
import { DelegateButton } from './delegate-button';
import { useTaskHistory } from './task-history';

const TaskForm = lazy(() => import('./task-form'));

const hasFields = (form: Task['form']): form is Record<string, unknown> =>
  !!form && typeof form['properties'] === 'object' && Object.keys(form['properties'] as object).length > 0;

/** Who completed a closed task, and when, in the person's words. */
export function ClosedNotice({ task, race }: { task: Task; race: boolean }) {
  const { t } = useTranslation();
  const history = useTaskHistory(task);
  // The task names who completed it by id; its history by name.
  const completion = history.data?.findLast((item) => item.type.endsWith('completed'));
  const who = task.completedByName ?? completion?.actorName ?? task.completedBy ?? '—';
  const at = task.completedAt ? dayjs(task.completedAt).format('L LTS') : '—';
  if (task.status === 'cancelled') {
    return <Alert type="info" showIcon data-testid="task-closed" title={t('task.cancelled')} />;
  }
  return (
    <Alert
      type={race ? 'warning' : 'success'}
      showIcon
      data-testid={race ? 'already-completed' : 'task-closed'}
      title={race ? t('task.alreadyCompleted', { who, at }) : t('task.completedBy', { who, at })}
      description={
        <>
          {task.outcome && <div>{t('task.outcomeWas', { outcome: outcomeLabel(task, task.outcome) })}</div>}
          {task.comment && <div>{t('task.commentWas', { comment: task.comment })}</div>}
        </>
      }
    />
  );
}

/** Claim, release, delegate, fill in the form and decide: what one does with an open task. */
export function TaskWork({ task, me, refetch }: { task: Task; me: Me; refetch: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const formRef = useRef<CoreForm>(null);
  const [formData, setFormData] = useState<Record<string, unknown>>(task.formData ?? {});
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [race, setRace] = useState(false);

  const refresh = async () => {
    await refetch();
    void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
    void queryClient.invalidateQueries({ queryKey: ['task-counts'] });
    void queryClient.invalidateQueries({ queryKey: ['record'] });
  };

  async function act(name: string, call: () => Promise<unknown>, done?: string) {
    setBusy(name);
    setError(null);
    try {
      await call();
      if (done) void message.success(done);
      await refresh();
    } catch (failure) {
      if (isApiError(failure, 409) && failure.type === 'task-closed') {
        // Someone else was first: show who and when from the task as it is now.
        setRace(true);
        await refresh();
      } else {
        setError(problemMessage(t, failure));
      }
    } finally {
      setBusy(null);
    }
  }

  const path = `/tasks/${encodeURIComponent(task.id)}`;
  if (task.status !== 'open') return <ClosedNotice task={task} race={race} />;

  const mine = task.assignee === me.id;
  const othersTask = task.assignee !== null && !mine;
  const releasable = mine && (task.candidateRole !== null || task.candidateUsers.length > 0);
  const withForm = hasFields(task.form);

  function complete(outcome: string) {
    if (withForm && formRef.current && !formRef.current.validateForm()) return;
    void act(
      `outcome:${outcome}`,
      () =>
        api(`${path}/complete`, {
          method: 'POST',
          body: {
            outcome,
            ...(withForm ? { form: formData } : {}),
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          },
        }),
      t('task.completedToast', { outcome: outcomeLabel(task, outcome) }),
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="task-work">
      <Space wrap>
        <Typography.Text data-testid="assignment">
          {mine
            ? t('task.assignedToMe')
            : task.assignee
              ? t('task.assignedTo', { who: task.assigneeName ?? task.assignee })
              : t('task.unassigned', { who: candidatesLabel(t, task) })}
        </Typography.Text>
        {!mine && (
          <Button
            icon={<UserAddOutlined />}
            data-testid="claim"
            loading={busy === 'claim'}
            onClick={() => void act('claim', () => api(`${path}/claim`, { method: 'POST' }), t('task.claimed'))}
          >
            {t('task.claim')}
          </Button>
        )}
        {releasable && (
          <Button
            icon={<UndoOutlined />}
            data-testid="release"
            loading={busy === 'release'}
            onClick={() => void act('release', () => api(`${path}/release`, { method: 'POST' }), t('task.released'))}
          >
            {t('task.release')}
          </Button>
        )}
        <DelegateButton
          task={task}
          onDone={() => {
            // Handed on, the task leaves one's inbox (and usually one's sight): back to the inbox.
            void message.success(t('task.delegated'));
            void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
            void navigate({ to: '/inbox' });
          }}
        />
      </Space>
      {othersTask && <Alert type="info" showIcon title={t('task.othersTask')} />}
      {withForm && (
        <Suspense fallback={<Skeleton active paragraph={{ rows: 3 }} />}>
          <div data-testid="task-form" className="task-form">
            <TaskForm
              schema={task.form!}
              formData={formData}
              onChange={setFormData}
              formRef={formRef}
              disabled={othersTask || busy !== null}
            />
          </div>
        </Suspense>
      )}
      <Input.TextArea
        data-testid="comment"
        aria-label={t('task.comment')}
        placeholder={t('task.commentPlaceholder')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={4000}
        disabled={othersTask}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="task-error" />}
      <Space wrap>
        {task.outcomes.map((outcome, index) => (
          <Button
            key={outcome}
            type={index === 0 ? 'primary' : 'default'}
            data-testid={`outcome-${outcome}`}
            disabled={othersTask || (busy !== null && busy !== `outcome:${outcome}`)}
            loading={busy === `outcome:${outcome}`}
            onClick={() => complete(outcome)}
          >
            {outcomeLabel(task, outcome)}
          </Button>
        ))}
      </Space>
    </Space>
  );
}
