import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { parseInstanceSearch } from './instances/instance-search';
import { InboxPage } from './inbox/inbox-page';
import { parseInboxSearch } from './inbox/inbox-search';
import { ReportPage } from './reports/report-page';
import { parseReportSearch, sharedFilters } from './reports/report-search';
import { ReportsPage } from './reports/reports-page';
import { Shell } from './shell';
import { SignInPage } from './sign-in-page';
import { parseCompareSearch, parseStudioSearch } from './studio/studio-search';
import { TaskPage } from './task/task-page';

export interface SignInSearch {
  /** Where to go after signing in: a path of this app. */
  redirect?: string;
  /** 1: the session ended (the page says so). */
  expired?: 1;
}

/** Only a path of this app, never another origin (`//evil.example`), is a place to return to. */
export const safeRedirect = (target: string | undefined): string =>
  target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/sign-in') ? target : '/inbox';

export function createStaffRouter(queryClient: QueryClient) {
  const rootRoute = createRootRoute({ component: Outlet });
  const signInRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/sign-in',
    validateSearch: (search: Record<string, unknown>): SignInSearch => ({
      redirect: typeof search['redirect'] === 'string' ? search['redirect'] : undefined,
      expired: search['expired'] === 1 || search['expired'] === '1' ? 1 : undefined,
    }),
    component: SignInPage,
  });
  const shellRoute = createRoute({ getParentRoute: () => rootRoute, id: 'shell', component: Shell });
  const indexRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/',
    beforeLoad: () => {
      throw redirect({ to: '/inbox' });
    },
  });
  const inboxRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/inbox',
    validateSearch: parseInboxSearch,
    component: InboxPage,
  });
  const taskRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/tasks/$taskId',
    component: TaskPage,
  });
  // ── Template studio (web/src/staff/studio) ──
  // The studio's pages load on first visit: CodeMirror, the diagram and their panels stay out of the inbox's bundle.
  const templateListRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/templates',
    component: lazyRouteComponent(() => import('./studio/template-list-page'), 'TemplateListPage'),
  });
  const studioRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/templates/$key',
    validateSearch: parseStudioSearch,
    component: lazyRouteComponent(() => import('./studio/studio-page'), 'StudioPage'),
  });
  const compareRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/templates/$key/compare',
    validateSearch: parseCompareSearch,
    component: lazyRouteComponent(() => import('./studio/compare-page'), 'ComparePage'),
  });

  // ── end of template studio ──

  // ── Instances (web/src/staff/instances) ──
  const instancesRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/instances',
    validateSearch: parseInstanceSearch,
    component: lazyRouteComponent(() => import('./instances/instance-list-page'), 'InstanceListPage'),
  });
  const instanceRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/instances/$id',
    component: lazyRouteComponent(() => import('./instances/instance-page'), 'InstancePage'),
  });

  // ── end of instances ──

  // ── Reports and dashboards (web/src/staff/reports) ──
  const reportsRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/reports',
    validateSearch: (search: Record<string, unknown>) => sharedFilters(parseReportSearch(search)),
    component: ReportsPage,
  });
  const reportRoute = createRoute({
    getParentRoute: () => shellRoute,
    path: '/reports/$name',
    validateSearch: parseReportSearch,
    component: ReportPage,
  });

  // ── end of reports ──

  const routeTree = rootRoute.addChildren([
    signInRoute,
    shellRoute.addChildren([
      indexRoute,
      inboxRoute,
      taskRoute,
      // studio routes
      templateListRoute,
      studioRoute,
      compareRoute,
      // (end of studio routes)

      // instances routes
      instancesRoute,
      instanceRoute,
      // (end of instances routes)

      // reports routes
      reportsRoute,
      reportRoute,
      // (end of reports routes)
    ]),
  ]);
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createStaffRouter>;
  }
}
