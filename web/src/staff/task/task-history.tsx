import { useQuery } from '@tanstack/react-query';
import { Skeleton, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import type { HistoryItem, Task, TimelineEntry } from '../api-types';

/** The task's own history; a server without it gives the instance timeline's entries about this task. */
async function fetchHistory(task: Task): Promise<HistoryItem[]> {
  try {
    const body = await api<{ items: HistoryItem[] }>(`/tasks/${encodeURIComponent(task.id)}/history`);
    return body.items;
  } catch {
    const timeline = await api<{ items: TimelineEntry[] }>(
      `/instances/${encodeURIComponent(task.instanceId)}/timeline`,
    );
    return timeline.items
      .filter((entry) => (entry.detail as { taskId?: string } | undefined)?.taskId === task.id)
      .map((entry) => {
        const detail = (entry.detail ?? {}) as { by?: string };
        return { at: entry.at, type: entry.type, actor: detail.by ?? null, actorName: null, detail: entry.detail };
      });
  }
}

export const useTaskHistory = (task: Task) =>
  useQuery({
    queryKey: ['task-history', task.id, task.status, task.assignee],
    queryFn: () => fetchHistory(task),
    retry: false,
  });

export function TaskHistory({ task }: { task: Task }) {
  const { t } = useTranslation();
  const history = useTaskHistory(task);
  if (history.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (history.isError || history.data.length === 0) {
    return <Typography.Text type="secondary">{t('history.empty')}</Typography.Text>;
  }
  return (
    <Timeline
      data-testid="task-history"
      items={history.data.map((item, index) => {
        const type = item.type.replace(/^task\./, '');
        const detail = (item.detail ?? {}) as { outcome?: string; to?: string; comment?: string };
        return {
          key: `${item.at}:${index}`,
          content: (
            <div data-testid="history-item">
              <Typography.Text strong>{t(`history.types.${type}`, { defaultValue: type })}</Typography.Text>
              {(item.actorName ?? item.actor) && (
                <Typography.Text> · {t('history.by', { who: item.actorName ?? item.actor })}</Typography.Text>
              )}
              {detail.outcome && (
                <Typography.Text> · {task.outcomeLabels[detail.outcome] ?? detail.outcome}</Typography.Text>
              )}
              {detail.to && <Typography.Text> · {t('history.to', { who: detail.to })}</Typography.Text>}
              <div>
                <Typography.Text type="secondary">{dayjs(item.at).format('L LTS')}</Typography.Text>
              </div>
            </div>
          ),
        };
      })}
    />
  );
}
