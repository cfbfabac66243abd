import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { Alert, Button, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { mayUse, useMe } from '../session';
import {
  getTemplate,
  getTemplateLanguage,
  getTemplateSchema,
  getVersion,
  studioKeys,
  type TemplateLanguage,
} from './studio-api';
import { StudioWorkbench } from './studio-workbench';

const route = getRouteApi('/shell/templates/$key');

const NO_LANGUAGE: TemplateLanguage = { activities: [], roles: [], triggerEvents: [], templates: [] };

/** A new template starts from the smallest one that compiles. */
const newTemplateSource = (key: string) => `key: ${key}
name: ${key}
steps:
  - id: start
    set: { started: true }
`;

/** `/templates/$key`: loads what the studio edits (the draft, else the newest version), then opens the workbench. */
export function StudioPage() {
  const { t } = useTranslation();
  const { key } = route.useParams();
  const me = useMe();
  const detail = useQuery({ queryKey: studioKeys.detail(key), queryFn: () => getTemplate(key), retry: false });
  const latestVersion = detail.data?.draft ? null : (detail.data?.latestVersion ?? null);
  const published = useQuery({
    queryKey: studioKeys.version(key, latestVersion ?? 0),
    queryFn: () => getVersion(key, latestVersion!),
    enabled: latestVersion !== null,
    staleTime: Infinity,
  });
  // Completion is a help: without the catalogue the editor still edits and checks.
  const language = useQuery({ queryKey: studioKeys.language, queryFn: getTemplateLanguage, staleTime: 300_000 });
  const schema = useQuery({ queryKey: studioKeys.schema, queryFn: getTemplateSchema, staleTime: Infinity });

  const isNew = detail.isError && (detail.error as { status?: number }).status === 404;
  if (detail.isError && !isNew) {
    return (
      <Result
        status="error"
        title={problemMessage(t, detail.error)}
        extra={<Button onClick={() => void detail.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  const source = isNew
    ? newTemplateSource(key)
    : (detail.data?.draft?.source ?? (latestVersion !== null ? published.data?.source : undefined));
  if (source === undefined || language.isPending || schema.isPending)
    return <Skeleton active data-testid="studio-loading" />;
  return (
    <>
      {published.isError && <Alert type="error" title={problemMessage(t, published.error)} />}
      <StudioWorkbench
        key={key}
        templateKey={key}
        name={detail.data?.name ?? key}
        initialSource={source}
        hasDraft={Boolean(detail.data?.draft)}
        language={language.data ?? NO_LANGUAGE}
        schema={schema.data ?? null}
        mayWrite={mayUse(me.data, 'templates.write')}
      />
    </>
  );
}
