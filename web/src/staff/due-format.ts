import type { TFunction } from 'i18next';

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

/** Time left as the inbox shows it: "in 2h 5m" / "剩余 2 小时 5 分钟", and once breached "-2h 5m" / "已超时 2 小时 5 分钟". */
export const dueLabel = (t: TFunction, msLeft: number): string =>
  t(msLeft < 0 ? 'due.overdue' : 'due.remaining', { time: compactDuration(t, msLeft) });
