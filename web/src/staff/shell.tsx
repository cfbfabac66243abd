import { InboxOutlined, LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Alert, Button, Grid, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../shared/api-client';
import { LocaleSwitch } from '../shared/locale-switch';
import { applyLocale, currentLocale, isLocale } from '../shared/locale';
import { problemMessage } from '../shared/problem-message';
import { instancesNav } from './instances/nav';
import type { NavEntry } from './nav-entry';
import { reportsNav } from './reports/nav';
import { mayUse, saveLocale, signOut, useMe } from './session';
import { studioNav } from './studio/nav';

/** The areas after the inbox, in menu order; each says which right shows it. */
const AREA_NAV: (NavEntry | null)[] = [studioNav, instancesNav, reportsNav];

/** The signed-in frame: header with the navigation the person's rights allow, language and sign-out. */
export function Shell() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const screens = Grid.useBreakpoint();
  const me = useMe();
  const localeAppliedFor = useRef<string | null>(null);

  // The saved language wins over the browser's, once per sign-in: a later switch is the person's own.
  useEffect(() => {
    const data = me.data;
    if (!data || localeAppliedFor.current === data.id) return;
    localeAppliedFor.current = data.id;
    if (isLocale(data.locale) && data.locale !== currentLocale()) void applyLocale(data.locale);
  }, [me.data]);

  if (me.isPending) {
    return <Spin fullscreen description={t('common.loading')} />;
  }
  if (me.isError) {
    // A 401 is already on its way to the sign-in page.
    if (isApiError(me.error, 401)) return <Spin fullscreen />;
    return (
      <Result
        status="error"
        title={problemMessage(t, me.error)}
        extra={<Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }

  const navItems = [
    mayUse(me.data, 'tasks.work') && {
      key: '/inbox',
      icon: <InboxOutlined />,
      label: (
        <Link to="/inbox" data-testid="nav-inbox">
          {t('nav.inbox')}
        </Link>
      ),
    },
    ...AREA_NAV.filter((entry): entry is NavEntry => entry !== null && mayUse(me.data, entry.right)).map((entry) => ({
      key: entry.path,
      icon: entry.icon,
      label: (
        <Link to={entry.path} data-testid={entry.testId}>
          {t(entry.labelKey)}
        </Link>
      ),
    })),
  ].filter((item) => item !== false);
  const selected = navItems.filter((item) => pathname.startsWith(item.key)).map((item) => item.key);
  const phone = !screens.md;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: phone ? 8 : 16,
          padding: phone ? '0 8px' : '0 24px',
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <Typography.Text strong style={{ whiteSpace: 'nowrap', fontSize: phone ? 14 : 16 }}>
          {phone ? t('app.shortName') : t('app.name')}
        </Typography.Text>
        <Menu
          mode="horizontal"
          selectedKeys={selected}
          items={navItems}
          style={{ flex: 1, minWidth: 0, borderBottom: 'none' }}
        />
        <Space size={phone ? 4 : 12}>
          {!phone && (
            <Typography.Text type="secondary" data-testid="user-name">
              {me.data.name}
            </Typography.Text>
          )}
          <LocaleSwitch onChange={(locale) => void saveLocale(queryClient, locale).catch(() => undefined)} />
          <Button
            data-testid="sign-out"
            icon={<LogoutOutlined />}
            size="small"
            aria-label={t('nav.signOut')}
            onClick={() => void signOut(queryClient).finally(() => void navigate({ to: '/sign-in', search: {} }))}
          >
            {phone ? null : t('nav.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: phone ? 8 : 24, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        {navItems.length === 0 ? <Alert type="info" title={t('nav.nothing')} /> : <Outlet />}
      </Layout.Content>
    </Layout>
  );
}
