import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Skeleton, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { chartSpecOf, hasFigures } from './chart-spec';
import { csvUrlOf, downloadCsv } from './report-queries';
import { variantOf, type ReportSearch } from './report-search';
import type { ReportResult } from './report-types';

const ReportChart = lazy(() => import('./report-chart'));

/** The report's chart, its code loaded on first use (echarts stays out of the inbox's bundle). */
export function LazyChart(props: {
  report: ReportResult;
  name: string;
  search: ReportSearch;
  height: number;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  if (!hasFigures(props.report)) return <Empty description={t('reports.empty')} data-testid={`empty-${props.name}`} />;
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: props.height }} />}>
      <ReportChart
        report={props.report}
        spec={chartSpecOf(props.name, variantOf(props.name, props.search))}
        height={props.height}
        compact={props.compact}
      />
    </Suspense>
  );
}

export function ReportProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <Alert type="error" showIcon title={problemMessage(t, error)} />;
}

/** The CSV of the report under the same filters; a link (copyable), downloaded through the API client. */
export function CsvButton({
  name,
  search,
  ignored,
  compact,
}: {
  name: string;
  search: ReportSearch;
  ignored?: readonly string[];
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      data-testid={`csv-${name}`}
      href={csvUrlOf(name, search, ignored)}
      icon={<DownloadOutlined />}
      size={compact ? 'small' : 'middle'}
      loading={busy}
      onClick={(event) => {
        event.preventDefault();
        setBusy(true);
        downloadCsv(name, search, ignored)
          .catch((failure: unknown) => void message.error(problemMessage(t, failure)))
          .finally(() => setBusy(false));
      }}
    >
      {t('reports.csv')}
    </Button>
  );
}

/** Says which of the page's filters the report's numbers are not narrowed by (they do not apply to it). */
export function IgnoredFilters({ ignored }: { ignored: readonly string[] }) {
  const { t } = useTranslation();
  if (ignored.length === 0) return null;
  return (
    <Typography.Text type="secondary" data-testid="ignored-filters">
      {t('reports.ignored', {
        filters: ignored.map((filter) => t(`reports.filters.${filter}`)).join(t('reports.listSeparator')),
      })}
    </Typography.Text>
  );
}
