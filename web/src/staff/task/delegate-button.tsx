import { SwapOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api-client';
import { problemMessage } from '../../shared/problem-message';
import type { Delegate, Task } from '../api-types';

/** Hand the task to someone the server allows, found by name or e-mail. */
export function DelegateButton({ task, onDone }: { task: Task; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [target, setTarget] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const delegates = useQuery({
    queryKey: ['delegates', task.id, deferredQuery],
    queryFn: ({ signal }) =>
      api<{ items: Delegate[] }>(`/tasks/${encodeURIComponent(task.id)}/delegates`, {
        query: { q: deferredQuery.trim() || undefined },
        signal,
      }),
    enabled: open,
    retry: false,
  });

  async function delegate() {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/tasks/${encodeURIComponent(task.id)}/delegate`, { method: 'POST', body: { to: target } });
      setOpen(false);
      setTarget(undefined);
      onDone();
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button icon={<SwapOutlined />} data-testid="delegate" onClick={() => setOpen(true)}>
        {t('task.delegate')}
      </Button>
      <Modal
        open={open}
        title={t('task.delegateTitle')}
        okText={t('task.delegateOk')}
        okButtonProps={{ disabled: !target }}
        confirmLoading={busy}
        onOk={() => void delegate()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('task.delegateTo')}>
            <Select
              data-testid="delegate-picker"
              showSearch={{ filterOption: false, onSearch: setQuery }}
              value={target}
              onChange={setTarget}
              loading={delegates.isFetching}
              placeholder={t('task.delegateSearch')}
              notFoundContent={delegates.isError ? problemMessage(t, delegates.error) : t('task.delegateNone')}
              options={(delegates.data?.items ?? []).map((person) => ({
                value: person.id,
                label: person.email ? `${person.name} (${person.email})` : person.name,
              }))}
            />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </>
  );
}
