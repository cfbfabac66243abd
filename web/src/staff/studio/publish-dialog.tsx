import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { getImpact, publishDraft, studioKeys, type Published, type TemplateImpact } from './studio-api';

export interface PublishDialogProps {
  templateKey: string;
  open: boolean;
  /** Saves the editor's text as the draft (what is published); rejects when it could not. */
  saveFirst: () => Promise<unknown>;
  onClose: () => void;
  onPublished: (published: Published) => void;
}

type VersionImpact = TemplateImpact['versions'][number];

/**
 * Publishing shows its impact first: the instances running on each version and where they wait.
 * They stay on their version; new instances start on the one published here.
 */
export function PublishDialog({ templateKey, open, saveFirst, onClose, onPublished }: PublishDialogProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const impact = useQuery({
    queryKey: studioKeys.impact(templateKey),
    queryFn: () => getImpact(templateKey),
    enabled: open,
    staleTime: 0,
  });
  const publish = useMutation({
    mutationFn: async () => {
      await saveFirst();
      return publishDraft(templateKey);
    },
    onSuccess: (published) => {
      void message.success(
        published.created
          ? t('studio.publish.created', { version: published.version })
          : t('studio.publish.unchanged', { version: published.version }),
      );
      void queryClient.invalidateQueries({ queryKey: studioKeys.detail(templateKey) });
      void queryClient.invalidateQueries({ queryKey: studioKeys.list });
      onPublished(published);
    },
  });
  const running = impact.data?.versions.reduce((sum, version) => sum + version.running, 0) ?? 0;
  const format = new Intl.NumberFormat(i18n.language);

  return (
    <Modal
      open={open}
      title={t('studio.publish.title', { key: templateKey })}
      okText={t('studio.publish.confirm')}
      cancelText={t('studio.cancel')}
      onCancel={onClose}
      onOk={() => publish.mutateAsync().catch(() => undefined)}
      okButtonProps={{ loading: publish.isPending, disabled: impact.isPending, 'data-testid': 'publish-confirm' }}
      destroyOnHidden
      width={640}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="publish-impact">
        {impact.isError && <Alert type="warning" title={problemMessage(t, impact.error)} />}
        {impact.data && (
          <Typography.Paragraph data-testid="impact-summary">
            {running === 0
              ? t('studio.publish.noneRunning')
              : t('studio.publish.running', { count: running, formatted: format.format(running) })}{' '}
            {t('studio.publish.newStartOn', { version: (impact.data.latestVersion ?? 0) + 1 })}
          </Typography.Paragraph>
        )}
        {impact.data && impact.data.versions.length > 0 && (
          <Table<VersionImpact>
            size="small"
            rowKey="version"
            pagination={false}
            dataSource={impact.data.versions}
            columns={[
              { title: t('studio.versions.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
              {
                title: t('studio.publish.runningColumn'),
                dataIndex: 'running',
                render: (n: number) => format.format(n),
              },
              {
                title: t('studio.publish.waitingAt'),
                dataIndex: 'waiting',
                render: (waiting: VersionImpact['waiting']) => (
                  <Space wrap size={4}>
                    {waiting.map((w) => (
                      <Tag key={w.stepId}>
                        {w.stepId} × {format.format(w.count)}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
        {publish.isError && <Alert type="error" data-testid="publish-error" title={problemMessage(t, publish.error)} />}
      </Space>
    </Modal>
  );
}
