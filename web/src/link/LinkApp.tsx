import { App, Card, ConfigProvider, Segmented, Skeleton } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchLink, peekLinkHint, type LinkLocale, type LinkProblem, type LinkView } from './link-api';
import { isLinkLocale, switchLinkLocale } from './link-locale';
import { LinkProblemResult } from './pages/LinkProblemResult';
import { OrderPage } from './pages/OrderPage';
import { SurveyPage } from './pages/SurveyPage';
import { TaskActionPage } from './pages/TaskActionPage';
import { TicketPage } from './pages/TicketPage';

type Loaded = { state: 'loading' } | { state: 'ready'; view: LinkView } | { state: 'problem'; problem: LinkProblem };

const NOT_A_LINK: LinkProblem = { status: 404, slug: 'link-not-found', title: 'Not Found' };

/** The one page a signed link opens (`/l/<token>`): loads what the link is for and shows it by kind. */
export function LinkApp({ token, initialLocale }: { token: string | null; initialLocale: LinkLocale }) {
  const { t } = useTranslation();
  const [locale, setLocale] = useState(initialLocale);
  const [loaded, setLoaded] = useState<Loaded>(
    token ? { state: 'loading' } : { state: 'problem', problem: NOT_A_LINK },
  );
  // Once the customer picks a language, the link's own locale no longer overrides it.
  const chosenByReader = useRef(false);

  const changeLocale = useCallback((next: LinkLocale) => {
    switchLinkLocale(next);
    setLocale(next);
  }, []);

  useEffect(() => {
    if (!token) return;
    let current = true;
    void fetchLink(token, locale).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setLoaded({ state: 'problem', problem: result.problem });
        // An expired link still says whose language it was written in.
        const problemLocale = result.problem.locale;
        if (!chosenByReader.current && isLinkLocale(problemLocale) && problemLocale !== locale) {
          chosenByReader.current = true;
          changeLocale(problemLocale);
        }
        return;
      }
      const linkLocale = result.value.locale;
      if (!chosenByReader.current && isLinkLocale(linkLocale) && linkLocale !== locale) {
        // The texts came in the wrong language; switching refetches them in the customer's.
        changeLocale(linkLocale);
        return;
      }
      setLoaded({ state: 'ready', view: result.value });
    });
    return () => {
      current = false;
    };
  }, [token, locale, changeLocale]);

  const onView = useCallback((view: LinkView) => setLoaded({ state: 'ready', view }), []);

  return (
    <ConfigProvider
      locale={locale === 'zh-CN' ? zhCN : enUS}
      theme={{
        token: { colorPrimary: '#1f6feb', borderRadius: 8 },
        // antd's pale unrated star hardly shows on white; a customer must see there is something to tap.
        components: { Rate: { starBg: '#d9dde3' } },
      }}
    >
      <App>
        <div className="link-page">
          <header className="link-header">
            <span className="link-brand">{t('page.brand')}</span>
            <Segmented<LinkLocale>
              size="small"
              value={locale}
              aria-label={t('page.language')}
              options={[
                { label: 'English', value: 'en' },
                { label: '中文', value: 'zh-CN' },
              ]}
              onChange={(next) => {
                chosenByReader.current = true;
                changeLocale(next);
              }}
            />
          </header>
          <Card className="link-card">
            {loaded.state === 'loading' && <Skeleton active paragraph={{ rows: 5 }} />}
            {loaded.state === 'problem' && (
              <LinkProblemResult
                problem={loaded.problem}
                taskId={taskIdOf(token, loaded.problem)}
                kind={kindOf(token, loaded.problem)}
              />
            )}
            {loaded.state === 'ready' && token && (
              <LinkContent token={token} locale={locale} view={loaded.view} onView={onView} />
            )}
          </Card>
          <footer className="link-footer">{t('page.footer')}</footer>
        </div>
      </App>
    </ConfigProvider>
  );
}

export interface LinkPageProps<V extends LinkView> {
  token: string;
  locale: LinkLocale;
  view: V;
  onView: (view: LinkView) => void;
}

function LinkContent({ view, ...rest }: LinkPageProps<LinkView>) {
  switch (view.kind) {
    case 'task-action':
      return <TaskActionPage view={view} {...rest} />;
    case 'survey':
      return <SurveyPage view={view} {...rest} />;
    case 'ticket':
      return <TicketPage view={view} {...rest} />;
    case 'order':
      return <OrderPage view={view} {...rest} />;
    default:
      return <LinkProblemResult problem={NOT_A_LINK} />;
  }
}

/** A refused task link still offers its task page (the staff member can sign in and act there). */
function taskIdOf(token: string | null, problem: LinkProblem): string | undefined {
  if (typeof problem.taskId === 'string') return problem.taskId;
  const hint = token ? peekLinkHint(token) : {};
  return hint.kind === 'task-action' ? hint.subject : undefined;
}

function kindOf(token: string | null, problem: LinkProblem): string | undefined {
  if (typeof problem.kind === 'string') return problem.kind;
  return token ? peekLinkHint(token).kind : undefined;
}
