import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, setAccessToken } from '../shared/api-client';
import type { Locale } from '../shared/locale';
import type { Me } from './api-types';

export const ME_KEY = ['me'] as const;

/** The signed-in person, with the rights their roles give. */
export const useMe = () => useQuery({ queryKey: ME_KEY, queryFn: () => api<Me>('/me'), staleTime: 60_000 });

/** Whether the person holds a right, or one of a list (what the app offers follows it; the API decides). */
export const mayUse = (me: Me | undefined, right: string | readonly string[]): boolean =>
  me !== undefined && (typeof right === 'string' ? [right] : right).some((one) => me.rights.includes(one));

export async function signIn(email: string, password: string): Promise<void> {
  const body = await api<{ accessToken?: string }>('/auth/sign-in', {
    method: 'POST',
    body: { email, password },
    noRefresh: true,
  });
  setAccessToken(body.accessToken ?? null);
}

export async function signOut(queryClient: QueryClient): Promise<void> {
  try {
    await api('/auth/sign-out', { method: 'POST', noRefresh: true });
  } finally {
    setAccessToken(null);
    queryClient.clear();
  }
}

export async function saveLocale(queryClient: QueryClient, locale: Locale): Promise<void> {
  const me = await api<Me>('/me', { method: 'PATCH', body: { locale } });
  queryClient.setQueryData(ME_KEY, me);
}
