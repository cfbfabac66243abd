import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LocaleSwitch } from '../shared/locale-switch';
import { problemMessage } from '../shared/problem-message';
import { safeRedirect } from './router';
import { signIn } from './session';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { email: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.email.trim(), values.password);
      queryClient.clear();
      router.history.push(safeRedirect(search.redirect));
    } catch (failure) {
      setError(problemMessage(t, failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('signIn.title')}
            </Typography.Title>
            <LocaleSwitch />
          </div>
          <Typography.Text type="secondary">{t('app.name')}</Typography.Text>
          {search.expired === 1 && (
            <Alert type="warning" showIcon title={t('signIn.expired')} data-testid="session-expired" />
          )}
          {error && <Alert type="error" showIcon title={error} data-testid="sign-in-error" />}
          <Form
            layout="vertical"
            onFinish={(values: { email: string; password: string }) => void submit(values)}
            requiredMark={false}
          >
            <Form.Item
              name="email"
              label={t('signIn.email')}
              rules={[{ required: true, type: 'email', message: t('signIn.emailRequired') }]}
            >
              <Input autoComplete="username" data-testid="sign-in-email" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('signIn.password')}
              rules={[{ required: true, message: t('signIn.passwordRequired') }]}
            >
              <Input.Password autoComplete="current-password" data-testid="sign-in-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
              {t('signIn.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
