import { BarChartOutlined, TableOutlined } from '@ant-design/icons';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Alert, Card, Col, Grid, Row, Segmented, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReportFilters } from './report-filters';
import { useReport, useReportList } from './report-queries';
import { sharedFilters, type ReportSearch } from './report-search';
import { localized } from './report-format';
import { ReportTable } from './report-table';
import type { ReportInfo } from './report-types';
import { CsvButton, IgnoredFilters, LazyChart, ReportProblem } from './report-view';

const route = getRouteApi('/shell/reports');

/** Every report the person may read, as a card each, under one set of filters. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const list = useReportList();
  const onChange = (change: Partial<ReportSearch>) =>
    void navigate({ search: (previous) => sharedFilters({ ...previous, ...change }) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="reports">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('reports.title')}
      </Typography.Title>
      <ReportFilters search={search} onChange={onChange} />
      {list.isError && <ReportProblem error={list.error} />}
      {list.isPending && <Skeleton active />}
      {list.data?.items.length === 0 && <Alert type="info" showIcon title={t('reports.none')} />}
      <Row gutter={[16, 16]}>
        {list.data?.items.map((info) => (
          <Col key={info.name} xs={24} xl={info.name === 'open-tasks-heatmap' ? 24 : 12}>
            <ReportCard info={info} search={search} locale={i18n.language} />
          </Col>
        ))}
      </Row>
    </Space>
  );
}

function ReportCard({ info, search, locale }: { info: ReportInfo; search: ReportSearch; locale: string }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const [shown, setShown] = useState<'chart' | 'table'>('chart');
  const filters = sharedFilters(search);
  const answer = useReport(info.name, filters, info.filters);
  return (
    <Card
      size="small"
      data-testid={`card-${info.name}`}
      title={
        <Link to="/reports/$name" params={{ name: info.name }} search={filters} data-testid={`open-${info.name}`}>
          {localized(info.title, locale)}
        </Link>
      }
      extra={
        <Space size={4}>
          <Segmented<'chart' | 'table'>
            size="small"
            value={shown}
            onChange={(value) => setShown(value)}
            options={[
              { value: 'chart', icon: <BarChartOutlined />, title: t('reports.chart') },
              { value: 'table', icon: <TableOutlined />, title: t('reports.numbers') },
            ]}
          />
          <CsvButton name={info.name} search={filters} ignored={answer.data?.ignored} compact />
        </Space>
      }
      styles={{ body: { minHeight: phone ? undefined : 300 } }}
    >
      {answer.isError ? (
        <ReportProblem error={answer.error} />
      ) : answer.isPending ? (
        <Skeleton active />
      ) : (
        <>
          <IgnoredFilters ignored={answer.data.ignored} />
          {shown === 'chart' ? (
            <LazyChart report={answer.data.report} name={info.name} search={filters} height={280} compact={phone} />
          ) : (
            <ReportTable report={answer.data.report} compact />
          )}
        </>
      )}
    </Card>
  );
}
