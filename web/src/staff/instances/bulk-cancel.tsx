import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';

type Outcome = 'cancelled' | 'not-running' | 'not-found';
/** The API takes up to 50 per call; smaller batches make the progress move. */
const BATCH = 10;

/** Cancels the selected instances batch by batch, with a progress bar and a count per outcome. */
export function BulkCancel({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<Record<Outcome, number> | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    const counts: Record<Outcome, number> = { cancelled: 0, 'not-running': 0, 'not-found': 0 };
    setError(null);
    setProgress({ sent: 0, total: ids.length });
    try {
      for (let start = 0; start < ids.length; start += BATCH) {
        const answer = await api<{ items: { id: string; outcome: Outcome }[] }>('/instances/bulk-cancel', {
          method: 'POST',
          body: { ids: ids.slice(start, start + BATCH) },
        });
        for (const item of answer.items) counts[item.outcome] += 1;
        setProgress({ sent: Math.min(ids.length, start + BATCH), total: ids.length });
      }
      setDone(counts);
      onDone();
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['instances'] });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('instances.bulk.selected', { count: ids.length })}</Typography.Text>
        <Button danger disabled={ids.length === 0} onClick={() => setConfirming(true)} data-testid="bulk-cancel">
          {t('instances.bulk.cancel', { count: ids.length })}
        </Button>
      </Space>
      {progress !== null && (
        <Progress
          percent={Math.round((progress.sent / Math.max(1, progress.total)) * 100)}
          format={() => `${progress.sent} / ${progress.total}`}
          data-testid="bulk-cancel-progress"
        />
      )}
      {done && (
        <Alert
          type="success"
          closable
          onClose={() => setDone(null)}
          data-testid="bulk-cancel-result"
          title={t('instances.bulk.result', {
            cancelled: done.cancelled,
            notRunning: done['not-running'],
            notFound: done['not-found'],
          })}
        />
      )}
      {error && <Alert type="error" title={error} />}
      <Modal
        open={confirming}
        title={t('instances.bulk.confirmTitle', { count: ids.length })}
        okText={t('instances.bulk.confirmOk')}
        okButtonProps={{ danger: true, 'data-testid': 'bulk-cancel-ok' }}
        cancelText={t('instances.cancelButton')}
        onOk={run}
        onCancel={() => setConfirming(false)}
      >
        {t('instances.bulk.confirmText')}
      </Modal>
    </Space>
  );
}
