import { ArrowLeftOutlined } from '@ant-design/icons';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Card, Grid, Segmented, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ReportFilters } from './report-filters';
import { localized } from './report-format';
import { useReport, useReportList } from './report-queries';
import { REPORT_VARIANTS, sharedFilters, variantOf, type ReportSearch } from './report-search';
import { ReportTable } from './report-table';
import { CsvButton, IgnoredFilters, LazyChart, ReportProblem } from './report-view';

const route = getRouteApi('/shell/reports/$name');

/** One report: its chart, the numbers behind it, its CSV, under filters kept in the URL. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const { name } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const list = useReportList();
  const info = list.data?.items.find((item) => item.name === name);
  // A report missing from the list (no right to it) is asked anyway, without filters: its 403 shows.
  const answer = useReport(name, search, list.isPending ? undefined : (info?.filters ?? []));
  const variant = REPORT_VARIANTS[name];
  const chosen = variantOf(name, search);
  const onChange = (change: Partial<ReportSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...change }) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="report">
      <Link to="/reports" search={sharedFilters(search)} data-testid="back-to-reports">
        <ArrowLeftOutlined /> {t('reports.back')}
      </Link>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="report-title">
          {info ? localized(info.title, i18n.language) : name}
        </Typography.Title>
        <CsvButton name={name} search={search} ignored={answer.data?.ignored} />
      </Space>
      {variant && (
        <Segmented
          data-testid="report-variant"
          value={chosen}
          onChange={(value) => onChange({ [variant.param]: value })}
          options={variant.values.map((value) => ({
            value,
            label: t(`reports.variants.${name}.${value}`, { defaultValue: value }),
          }))}
          style={phone ? { maxWidth: '100%', overflowX: 'auto' } : undefined}
        />
      )}
      <ReportFilters search={search} onChange={onChange} />
      {answer.isError ? (
        <ReportProblem error={answer.error} />
      ) : answer.isPending ? (
        <Skeleton active />
      ) : (
        <>
          <IgnoredFilters ignored={answer.data.ignored} />
          <Card size="small" title={t('reports.chart')}>
            <LazyChart
              report={answer.data.report}
              name={name}
              search={search}
              height={phone ? 300 : 420}
              compact={phone}
            />
          </Card>
          <Card size="small" title={t('reports.numbers')}>
            <ReportTable report={answer.data.report} />
          </Card>
        </>
      )}
    </Space>
  );
}
