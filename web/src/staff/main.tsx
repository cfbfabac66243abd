import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { createRoot } from 'react-dom/client';
import { isApiError, onSessionEnded } from '../shared/api-client';
import { startI18n } from '../shared/i18n';
import { browserLocale } from '../shared/locale';
import { createStaffRouter } from './router';
import { ME_KEY } from './session';
import { STAFF_MESSAGES } from './staff-messages';
import { ThemedApp } from './themed-app';
import './staff.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer stays the same on a retry; only network and server failures are retried.
      retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});
const router = createStaffRouter(queryClient);

onSessionEnded(() => {
  const { pathname, href } = router.state.location;
  if (pathname === '/sign-in') return;
  // Known before: the session ran out under the person's hands; unknown: they never signed in here.
  const expired = queryClient.getQueryData(ME_KEY) !== undefined;
  queryClient.clear();
  void router.navigate({ to: '/sign-in', search: { redirect: href, expired: expired ? 1 : undefined } });
});

await startI18n(STAFF_MESSAGES, browserLocale());

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queryClient}>
    <ThemedApp>
      <RouterProvider router={router} />
    </ThemedApp>
  </QueryClientProvider>,
);
