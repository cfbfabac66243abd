import { DeleteOutlined, LinkOutlined, SaveOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Button, Form, Input, Modal, Select, Space, Switch, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import type { Page, SavedView } from '../api-types';
import { useMe } from '../session';
import { listQueryOf, type InboxSearch } from './inbox-search';

export const VIEWS_KEY = ['task-views'] as const;

/** The list may come as `{ items }` or as a bare array; both are read. */
export const useSavedViews = () =>
  useQuery({
    queryKey: VIEWS_KEY,
    queryFn: async () => {
      const body = await api<Page<SavedView> | SavedView[]>('/task-views');
      return Array.isArray(body) ? body : body.items;
    },
    retry: false,
  });

/** Named inbox views stored on the server: open one, save the current filters as one, delete one's own. */
export function SavedViews({ search }: { search: InboxSearch }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const views = useSavedViews();
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const active = views.data?.find((view) => view.id === search.savedView);

  async function save(values: { name: string; shared: boolean }) {
    setBusy(true);
    try {
      const view = await api<SavedView>('/task-views', {
        method: 'POST',
        body: { name: values.name.trim(), query: listQueryOf(search), shared: values.shared },
      });
      await queryClient.invalidateQueries({ queryKey: VIEWS_KEY });
      setSaving(false);
      form.resetFields();
      void navigate({ to: '/inbox', search: { ...search, savedView: view.id } });
      void message.success(t('inbox.views.saved', { name: view.name }));
    } catch (failure) {
      void message.error(problemMessage(t, failure));
    } finally {
      setBusy(false);
    }
  }

  async function remove(view: SavedView) {
    try {
      await api(`/task-views/${encodeURIComponent(view.id)}`, { method: 'DELETE' });
      await queryClient.invalidateQueries({ queryKey: VIEWS_KEY });
      void navigate({ to: '/inbox', search: { ...search, savedView: undefined } });
      void message.success(t('inbox.views.deleted', { name: view.name }));
    } catch (failure) {
      void message.error(problemMessage(t, failure));
    }
  }

  async function copyLink(view: SavedView) {
    const link = `${window.location.origin}/inbox?savedView=${encodeURIComponent(view.id)}`;
    try {
      await navigator.clipboard.writeText(link);
      void message.success(t('inbox.views.linkCopied'));
    } catch {
      void message.info(link);
    }
  }

  return (
    <Space wrap size="small">
      <Select
        data-testid="saved-views"
        style={{ minWidth: 180 }}
        placeholder={t('inbox.views.placeholder')}
        value={active?.id ?? null}
        allowClear
        loading={views.isPending}
        notFoundContent={t('inbox.views.none')}
        onChange={(id: string | null | undefined) =>
          void navigate({ to: '/inbox', search: id ? { savedView: id } : {} })
        }
        options={(views.data ?? []).map((view) => ({
          value: view.id,
          label: (
            <span data-testid="saved-view-option">
              {view.shared && <TeamOutlined style={{ marginRight: 4 }} aria-label={t('inbox.views.shared')} />}
              {view.name}
              {view.ownerId !== me.data?.id && view.ownerName ? ` (${view.ownerName})` : ''}
            </span>
          ),
        }))}
      />
      {active && (
        <Tooltip title={t('inbox.views.copyLink')}>
          <Button
            icon={<LinkOutlined />}
            aria-label={t('inbox.views.copyLink')}
            onClick={() => void copyLink(active)}
          />
        </Tooltip>
      )}
      {active && active.ownerId === me.data?.id && (
        <Tooltip title={t('inbox.views.delete')}>
          <Button
            danger
            data-testid="delete-view"
            icon={<DeleteOutlined />}
            aria-label={t('inbox.views.delete')}
            onClick={() => void remove(active)}
          />
        </Tooltip>
      )}
      <Button icon={<SaveOutlined />} data-testid="save-view" onClick={() => setSaving(true)}>
        {t('inbox.views.save')}
      </Button>
      <Modal
        open={saving}
        title={t('inbox.views.saveTitle')}
        okText={t('inbox.views.saveOk')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setSaving(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ shared: false }} onFinish={(values) => void save(values)}>
          <Form.Item
            name="name"
            label={t('inbox.views.name')}
            rules={[{ required: true, whitespace: true, max: 100, message: t('inbox.views.nameRequired') }]}
          >
            <Input data-testid="view-name" maxLength={100} />
          </Form.Item>
          <Form.Item name="shared" label={t('inbox.views.shared')} valuePropName="checked">
            <Switch data-testid="view-shared" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
