import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LinkProblem } from '../link-api';
import { formatTime } from '../link-locale';

/** Problem types the page explains in its own words; anything else is "something went wrong". */
const KNOWN = [
  'link-not-found',
  'link-expired',
  'link-used',
  'task-closed',
  'form-required',
  'link-recipient-invalid',
  'ticket-not-resolved',
  'too-many-requests',
  'network',
] as const;
type Known = (typeof KNOWN)[number];

function knownSlug(problem: LinkProblem): Known | 'other' {
  if ((KNOWN as readonly string[]).includes(problem.slug)) return problem.slug as Known;
  if (problem.status === 429) return 'too-many-requests';
  if (problem.status === 404) return 'link-not-found';
  if (problem.status === 410) return 'link-expired';
  return 'other';
}

/**
 * A link the server refused or a page that could not load: what happened and what the reader can
 * do now. Only a task link offers somewhere to go (its page in the app, behind sign-in).
 */
export function LinkProblemResult({ problem, taskId, kind }: { problem: LinkProblem; taskId?: string; kind?: string }) {
  const { t } = useTranslation();
  if (kind === 'survey') {
    // A survey link is used by answering it, and the survey route answers 409 when it was answered.
    if (problem.slug === 'link-used' || problem.slug === 'survey-answered' || problem.status === 409)
      return <Result status="info" title={t('survey.answeredTitle')} subTitle={t('survey.answeredDetail')} />;
    if (problem.status === 410)
      return <Result status="warning" title={t('survey.expiredTitle')} subTitle={t('survey.expiredDetail')} />;
  }
  const slug = knownSlug(problem);
  const status = slug === 'link-not-found' ? '404' : slug === 'other' || slug === 'network' ? 'error' : 'warning';
  const byWhom = problem.completedBy ? { name: problem.completedBy, time: formatTime(problem.completedAt) } : null;
  const subTitle =
    (slug === 'task-closed' || slug === 'link-used') && byWhom
      ? t(`problem.${slug}.byWhom`, byWhom)
      : t(`problem.${slug}.detail`);
  const extra = [];
  if (taskId && slug !== 'link-not-found') {
    extra.push(
      <Button key="task" type="primary" href={`/tasks/${encodeURIComponent(taskId)}`}>
        {t('problem.openTask')}
      </Button>,
    );
  }
  if (slug === 'network' || slug === 'other' || slug === 'too-many-requests') {
    extra.push(
      <Button key="retry" onClick={() => location.reload()}>
        {t('problem.retry')}
      </Button>,
    );
  }
  return <Result status={status} title={t(`problem.${slug}.title`)} subTitle={subTitle} extra={extra} />;
}
