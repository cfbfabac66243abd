import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * antd's own texts (pagination, empty lists, date pickers) follow the UI language; so do the
 * server's (task titles, outcome labels): everything fetched is fetched again in the new language.
 */
export function ThemedApp({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const language = i18n.language;
  const previous = useRef(language);
  useEffect(() => {
    if (previous.current === language) return;
    previous.current = language;
    // Cancel first: a first fetch still in flight (no data yet) would otherwise be kept by the
    // invalidation and land in the old language (a task page opened while the saved language loads).
    void queryClient.cancelQueries().then(() => queryClient.invalidateQueries());
  }, [language, queryClient]);
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1f5fbf' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
