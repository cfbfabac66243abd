import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../shared/api-client';
import type { Page, Task, TaskCounts } from '../api-types';
import { withDefaults, type InboxSearch } from './inbox-search';

export const TASKS_KEY = ['tasks'] as const;
const COUNTS_POLL_MS = 10_000;
const PAGE_SIZE = 50;

/**
 * The counts per view, polled; when a count or the latest change moves, the lists are fetched
 * again, so new work appears without a reload. A server without counts gives no badges.
 */
export function useTaskCounts() {
  const queryClient = useQueryClient();
  const counts = useQuery({
    queryKey: ['task-counts'],
    queryFn: () => api<TaskCounts>('/tasks/counts'),
    refetchInterval: COUNTS_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
  const seen = useRef<string | null>(null);
  const data = counts.data;
  useEffect(() => {
    if (!data) return;
    const signature = JSON.stringify([data.mine, data.queue, data.unassigned, data.done, data.changedAt]);
    if (seen.current !== null && seen.current !== signature) {
      void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
    }
    seen.current = signature;
  }, [data, queryClient]);
  return data;
}

export function useTaskList(search: InboxSearch) {
  const { view, sort, order, template, priority, q } = withDefaults(search);
  const query = { view, sort, order, template, priority, q, limit: PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: [...TASKS_KEY, query],
    queryFn: ({ pageParam, signal }) => api<Page<Task>>('/tasks', { query: { ...query, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Whether completing the task needs its form: the API says so, else its schema's required fields do. */
