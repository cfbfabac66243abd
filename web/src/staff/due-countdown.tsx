import { Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { dueLabel } from './due-format';

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

/** A due time as a live countdown; red and negative once breached; the date itself on hover. */
export function DueCountdown({ dueAt, closed = false }: { dueAt: string | null; closed?: boolean }) {
  const { t } = useTranslation();
  const current = useNow();
  if (!dueAt) return <Typography.Text type="secondary">{t('due.none')}</Typography.Text>;
  // A closed task's due time is history: the date, not a clock.
  if (closed) return <Typography.Text type="secondary">{dayjs(dueAt).format('L LT')}</Typography.Text>;
  const left = dayjs(dueAt).valueOf() - current;
  const overdue = left < 0;
  const label = dueLabel(t, left);
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
