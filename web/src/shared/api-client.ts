/**
 * The web app's one way to the API: same origin, cookies included, the UI language as
 * Accept-Language, RFC 9457 problems turned into {@link ApiError}s. A 401 swaps the refresh
 * cookie for a new access token once (one swap at a time: a refresh token is good once, and two
 * swaps racing with the same token would end the session) and repeats the call; when that fails
 * too the session is over and the app is told so.
 */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** The problem's slug (`task-closed` of `https://…/problems/task-closed`), '' when the answer was not a problem. */
  get type(): string {
    const type = this.problem?.type ?? '';
    return type.slice(type.lastIndexOf('/') + 1);
  }
}

export const isApiError = (error: unknown, status?: number): error is ApiError =>
  error instanceof ApiError && (status === undefined || error.status === status);

export const API_BASE = '/api/v1';

interface ClientState {
  language: string;
  /** The access token of the last sign-in or refresh; the httpOnly cookie stands in when the page was reloaded. */
  accessToken: string | null;
  onSessionEnded: () => void;
  refreshing: Promise<boolean> | null;
}

const state: ClientState = { language: 'en', accessToken: null, onSessionEnded: () => {}, refreshing: null };

export function setApiLanguage(language: string): void {
  state.language = language;
}

export function setAccessToken(token: string | null): void {
  state.accessToken = token;
}

/** Called once a 401 survived the refresh: the app sends the person to the sign-in page. */
export function onSessionEnded(handler: () => void): void {
  state.onSessionEnded = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
  /** Sign-in and refresh answer 401 for wrong credentials: no refresh, no session-ended. */
  noRefresh?: boolean;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

function send(path: string, options: RequestOptions, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': state.language };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.accessToken) headers['Authorization'] = `Bearer ${state.accessToken}`;
  return fetch(apiUrl(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'include',
    signal: options.signal,
  });
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let problem: Problem | null = null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && 'title' in parsed) problem = parsed as Problem;
  } catch {
    // Not JSON (a proxy's error page): the status alone has to do.
  }
  return new ApiError(response.status, problem);
}

/** Swaps the refresh cookie for a new access token; concurrent callers share one swap. */
export function refreshSession(): Promise<boolean> {
  state.refreshing ??= (async () => {
    try {
      const response = await fetch(`${API_BASE}/auth/refresh`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        credentials: 'include',
      });
      if (!response.ok) return false;
      const body = (await response.json().catch(() => ({}))) as { accessToken?: string };
      state.accessToken = body.accessToken ?? null;
      return true;
    } catch {
      return false;
    } finally {
      state.refreshing = null;
    }
  })();
  return state.refreshing;
}

/** The checked answer: a 401 refreshes the session once, any other failure is an {@link ApiError}. */
async function answer(path: string, options: RequestOptions, accept?: string): Promise<Response> {
  let response = await send(path, options, accept);
  if (response.status === 401 && !options.noRefresh) {
    state.accessToken = null;
    if (await refreshSession()) response = await send(path, options, accept);
    if (response.status === 401) {
      state.onSessionEnded();
      throw await errorOf(response);
    }
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await answer(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A download (a CSV export) in the UI language, with the session handling of {@link api}. */
export async function apiBlob(path: string, accept: string, options: RequestOptions = {}): Promise<Blob> {
  return (await answer(path, options, accept)).blob();
}
