import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Alert, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../shared/problem-message';
import { mayUse, useMe } from '../session';
import { listTemplates, studioKeys, type TemplateSummary } from './studio-api';

const KEY_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

/** `/templates`: every template with its newest version and whether a draft waits; a new one by key. */
export function TemplateListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const templates = useQuery({ queryKey: studioKeys.list, queryFn: listTemplates });
  const [creating, setCreating] = useState(false);
  const [newKey, setNewKey] = useState('');
  const taken = templates.data?.items.some((item) => item.key === newKey) ?? false;
  const keyError =
    newKey && !KEY_PATTERN.test(newKey) ? t('studio.list.badKey') : taken ? t('studio.list.keyTaken') : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="template-list">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('studio.title')}
        </Typography.Title>
        {mayUse(me.data, 'templates.write') && (
          <Button type="primary" icon={<PlusOutlined />} data-testid="template-new" onClick={() => setCreating(true)}>
            {t('studio.list.new')}
          </Button>
        )}
      </Space>
      {templates.isError && <Alert type="error" title={problemMessage(t, templates.error)} />}
      <Table<TemplateSummary>
        rowKey="key"
        size="middle"
        loading={templates.isPending}
        dataSource={templates.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('studio.list.name'),
            dataIndex: 'name',
            render: (name: string, row) => (
              <Link to="/templates/$key" params={{ key: row.key }} search={{}} data-testid={`template-${row.key}`}>
                {name}
              </Link>
            ),
          },
          {
            title: t('studio.list.key'),
            dataIndex: 'key',
            responsive: ['md'],
            render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
          },
          {
            title: t('studio.list.latestVersion'),
            dataIndex: 'latestVersion',
            render: (version: number | null) =>
              version === null ? <Tag>{t('studio.list.unpublished')}</Tag> : `v${version}`,
          },
          {
            title: t('studio.list.draft'),
            dataIndex: 'draftUpdatedAt',
            render: (at: string | null) =>
              at === null ? (
                '—'
              ) : (
                <Tag color="orange">{t('studio.list.draftSaved', { when: dayjs(at).fromNow() })}</Tag>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('studio.list.new')}
        okText={t('studio.list.create')}
        cancelText={t('studio.cancel')}
        okButtonProps={{ disabled: !newKey || keyError !== null }}
        onCancel={() => setCreating(false)}
        onOk={() => void navigate({ to: '/templates/$key', params: { key: newKey }, search: {} })}
      >
        <Form layout="vertical">
          <Form.Item
            label={t('studio.list.key')}
            validateStatus={keyError ? 'error' : undefined}
            help={keyError ?? t('studio.list.keyHelp')}
          >
            <Input data-testid="template-new-key" value={newKey} onChange={(e) => setNewKey(e.target.value.trim())} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
