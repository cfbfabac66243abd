import { CheckOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, List, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import { outcomeLabel, type BulkResult, type Task } from '../api-types';
import { TASKS_KEY } from './inbox-queries';

export interface BulkOutcome {
  action: 'claim' | 'complete';
  results: { id: string; title: string; ok: boolean; message?: string }[];
}

/** Claim or complete the selected tasks in one request; each task's own answer is reported. */
export function BulkActions({ selected, onDone }: { selected: Task[]; onDone: (outcome: BulkOutcome) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<'claim' | 'complete' | null>(null);
  const [completing, setCompleting] = useState(false);
  const [outcome, setOutcome] = useState<string | undefined>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  const claimable = selected.filter((task) => task.status === 'open');
  const completable = selected.filter((task) => task.status === 'open' && !task.needsForm);
  // Outcomes offered are those of the tasks that need no form; the label is the first task's wording.
  const outcomes = new Map<string, string>();
  for (const task of completable) {
    for (const id of task.outcomes) if (!outcomes.has(id)) outcomes.set(id, outcomeLabel(task, id));
  }

  async function run(action: 'claim' | 'complete', tasks: Task[]) {
    setBusy(action);
    setError(null);
    try {
      const body = await api<BulkResult>('/tasks/bulk', {
        method: 'POST',
        body: {
          action,
          ids: tasks.map((task) => task.id),
          ...(action === 'complete' ? { outcome, ...(comment.trim() ? { comment: comment.trim() } : {}) } : {}),
        },
      });
      const titles = new Map(tasks.map((task) => [task.id, task.title]));
      onDone({
        action,
        results: body.results.map((result) => ({
          id: result.id,
          title: titles.get(result.id) ?? result.id,
          ok: result.ok,
          message: result.ok
            ? undefined
            : [result.problem?.title, result.problem?.detail].filter(Boolean).join(': ') ||
              t('common.errors.unknown', { status: result.status ?? 0 }),
        })),
      });
      setCompleting(false);
      setOutcome(undefined);
      setComment('');
      void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
      void queryClient.invalidateQueries({ queryKey: ['task-counts'] });
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Space wrap data-testid="bulk-actions">
      <Typography.Text>{t('inbox.bulk.selected', { count: selected.length })}</Typography.Text>
      <Button
        icon={<UserAddOutlined />}
        data-testid="bulk-claim"
        disabled={claimable.length === 0}
        loading={busy === 'claim'}
        onClick={() => void run('claim', claimable)}
      >
        {t('inbox.bulk.claim', { count: claimable.length })}
      </Button>
      <Button
        icon={<CheckOutlined />}
        data-testid="bulk-complete"
        disabled={completable.length === 0}
        onClick={() => setCompleting(true)}
      >
        {t('inbox.bulk.complete', { count: completable.length })}
      </Button>
      {error && <Alert type="error" showIcon title={error} />}
      <Modal
        open={completing}
        title={t('inbox.bulk.completeTitle', { count: completable.length })}
        okText={t('inbox.bulk.completeOk')}
        okButtonProps={{ disabled: !outcome, 'data-testid': 'bulk-complete-ok' }}
        confirmLoading={busy === 'complete'}
        onOk={() => void run('complete', completable)}
        onCancel={() => setCompleting(false)}
        destroyOnHidden
      >
        <Form layout="vertical">
          {completable.length < selected.length && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('inbox.bulk.skipped', { count: selected.length - completable.length })}
            />
          )}
          <Form.Item label={t('inbox.bulk.outcome')} required>
            <Select
              data-testid="bulk-outcome"
              value={outcome}
              onChange={setOutcome}
              placeholder={t('inbox.bulk.outcomePlaceholder')}
              options={[...outcomes].map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item label={t('task.comment')}>
            <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={4000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

export function BulkResults({ outcome, onClose }: { outcome: BulkOutcome; onClose: () => void }) {
  const { t } = useTranslation();
  const failed = outcome.results.filter((result) => !result.ok).length;
  return (
    <Alert
      data-testid="bulk-results"
      type={failed === 0 ? 'success' : failed === outcome.results.length ? 'error' : 'warning'}
      showIcon
      closable={{ onClose }}
      title={t(`inbox.bulk.result.${outcome.action}`, { ok: outcome.results.length - failed, failed })}
      description={
        <List
          size="small"
          dataSource={outcome.results}
          renderItem={(result) => (
            <List.Item data-testid="bulk-result" data-ok={result.ok ? 'true' : 'false'}>
              <Typography.Text type={result.ok ? 'success' : 'danger'}>
                {result.ok ? '✓' : '✗'} {result.title}
              </Typography.Text>
              {result.message && <Typography.Text type="secondary"> — {result.message}</Typography.Text>}
            </List.Item>
          )}
        />
      }
    />
  );
}
