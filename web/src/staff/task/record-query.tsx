import { useQuery } from '@tanstack/react-query';
import { Alert, Skeleton, Typography } from 'antd';
import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import type { TimelineEntry } from '../api-types';

/**
 * True for a while after the task was decided: the process goes on changing the records (the quote
 * approved, its order created, the lead qualified), so they are fetched again every few seconds.
 */
export const RecordsSettling = createContext(false);
const SETTLING_POLL_MS = 3000;

/** One business record of the task's context, fetched by its API path (`null`: nothing to fetch). */
export function useRecord<T>(path: string | null) {
  const settling = useContext(RecordsSettling);
  return useQuery({
    queryKey: ['record', path],
    queryFn: ({ signal }) => api<T>(path!, { signal }),
    enabled: path !== null,
    retry: false,
    refetchInterval: settling ? SETTLING_POLL_MS : false,
  });
}

export const recordPath = (kind: string, id: string) => `/${kind}/${encodeURIComponent(id)}`;

export const useTimeline = (instanceId: string) =>
  useRecord<{ items: TimelineEntry[] }>(`${recordPath('instances', instanceId)}/timeline`);

/**
 * Shows a record once loaded; a record the person may not read (403, or 404 for one outside their
 * scope) is a quiet note, not an error: the task is theirs, the record need not be.
 */
export function RecordView<T>({
  query,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isError) {
    if (isApiError(query.error, 403) || isApiError(query.error, 404)) {
      return (
        <Typography.Text type="secondary" data-testid="context-hidden">
          {t('context.notVisible')}
        </Typography.Text>
      );
    }
    return <Alert type="error" showIcon title={problemMessage(t, query.error)} />;
  }
  if (query.isPending || query.data === undefined) return <Skeleton active paragraph={{ rows: 2 }} />;
  return <>{children(query.data)}</>;
}
