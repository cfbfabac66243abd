import { Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

/*
 * One clock for every countdown on the page: it ticks each second, so a list of a hundred due
 * dates re-renders from one timer instead of a hundred.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((notify) => notify());
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export const useNow = () => useSyncExternalStore(subscribe, () => now);

/** "2d 3h", "2h 5m", "45s" (en) / "2 天 3 小时" … (zh-CN): the two largest units, in the UI language. */
export function compactDuration(t: TFunction, ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(t('due.units.d', { count: days }));
  if (hours > 0 || days > 0) parts.push(t('due.units.h', { count: hours }));
  if (days === 0) {
    if (minutes > 0 || hours > 0) parts.push(t('due.units.m', { count: minutes }));
    else parts.push(t('due.units.s', { count: seconds % 60 }));
  }
  return parts.slice(0, 2).join(t('due.units.separator'));
}

/** A due time as a live countdown; red and negative once breached; the date itself on hover. */
export function DueCountdown({ dueAt, closed = false }: { dueAt: string | null; closed?: boolean }) {
  const { t } = useTranslation();
  const current = useNow();
  if (!dueAt) return <Typography.Text type="secondary">{t('due.none')}</Typography.Text>;
  // A closed task's due time is history: the date, not a clock.
  if (closed) return <Typography.Text type="secondary">{dayjs(dueAt).format('L LT')}</Typography.Text>;
  const left = dayjs(dueAt).valueOf() - current;
  const overdue = left < 0;
  const label = overdue
    ? t('due.overdue', { time: compactDuration(t, left) })
    : t('due.remaining', { time: compactDuration(t, left) });
  return (
    <Tooltip title={`${dayjs(dueAt).format('LLL')} · ${dayjs(dueAt).from(current)}`}>
      <Typography.Text
        data-testid="due-countdown"
        data-overdue={overdue ? 'true' : 'false'}
        type={overdue ? 'danger' : undefined}
        strong={overdue}
        style={{ whiteSpace: 'nowrap' }}
      >
        {label}
      </Typography.Text>
    </Tooltip>
  );
}
