import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Alert, Card, Col, Empty, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { changedSteps } from '../diagram/plan-diff';
import { DiagramPanel } from './diagram-panel';
import { getVersion, listVersions, studioKeys } from './studio-api';

const YamlMergeView = lazy(() => import('./merge-view'));
const route = getRouteApi('/shell/templates/$key/compare');

/** `/templates/$key/compare?from=&to=`: two versions as YAML side by side and as diagrams with the changed steps marked. */
export function ComparePage() {
  const { t } = useTranslation();
  const { key } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const versions = useQuery({ queryKey: studioKeys.versions(key), queryFn: () => listVersions(key) });
  const numbers = versions.data?.items.map((v) => v.version) ?? [];
  const to = search.to ?? numbers[0];
  const from = search.from ?? numbers.find((n) => to !== undefined && n < to);
  const fromVersion = useQuery({
    queryKey: studioKeys.version(key, from ?? 0),
    queryFn: () => getVersion(key, from!),
    enabled: from !== undefined,
    staleTime: Infinity,
  });
  const toVersion = useQuery({
    queryKey: studioKeys.version(key, to ?? 0),
    queryFn: () => getVersion(key, to!),
    enabled: to !== undefined,
    staleTime: Infinity,
  });
  const changed = useMemo(
    () => (fromVersion.data && toVersion.data ? changedSteps(fromVersion.data.plan, toVersion.data.plan) : null),
    [fromVersion.data, toVersion.data],
  );
  const options = numbers.map((n) => ({ value: n, label: `v${n}` }));
  const failure = versions.error ?? fromVersion.error ?? toVersion.error;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="compare">
      <Space wrap>
        <Link to="/templates/$key" params={{ key }} search={{}}>
          {key}
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('studio.compare.title')}
        </Typography.Title>
        <Select
          data-testid="compare-from"
          value={from}
          options={options}
          style={{ width: 100 }}
          onChange={(value: number) => void navigate({ search: (previous) => ({ ...previous, from: value }) })}
        />
        <span>→</span>
        <Select
          data-testid="compare-to"
          value={to}
          options={options}
          style={{ width: 100 }}
          onChange={(value: number) => void navigate({ search: (previous) => ({ ...previous, to: value }) })}
        />
        {changed && (
          <Tag data-testid="compare-changed-count">
            {t('studio.compare.changedSteps', {
              count: new Set([...Object.keys(changed.from), ...Object.keys(changed.to)]).size,
            })}
          </Tag>
        )}
      </Space>
      {failure && <Alert type="error" title={problemMessage(t, failure)} />}
      {versions.data && numbers.length < 2 && <Empty description={t('studio.compare.oneVersion')} />}
      {fromVersion.data && toVersion.data && (
        <>
          <Card size="small" title={t('studio.compare.yaml', { from, to })}>
            <Suspense fallback={<Skeleton active />}>
              <YamlMergeView from={fromVersion.data.source} to={toVersion.data.source} />
            </Suspense>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card
                size="small"
                title={`v${from}`}
                styles={{ body: { padding: 0 } }}
                data-testid="compare-diagram-from"
              >
                <DiagramPanel plan={fromVersion.data.plan} changed={changed?.from} height={480} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={`v${to}`} styles={{ body: { padding: 0 } }} data-testid="compare-diagram-to">
                <DiagramPanel plan={toVersion.data.plan} changed={changed?.to} height={480} />
              </Card>
            </Col>
          </Row>
        </>
      )}
      {(versions.isPending || fromVersion.isLoading || toVersion.isLoading) && <Skeleton active />}
    </Space>
  );
}
