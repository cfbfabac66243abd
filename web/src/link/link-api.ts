/*
 * The signed-link API (contract B): GET /api/v1/links/<token> says what the link opens, POST acts on
 * it. The token is the only credential, so no cookie or refresh logic is involved here.
 */

export type LinkLocale = 'en' | 'zh-CN';

/** What every link's answer carries besides its kind's content. */
interface LinkCommon {
  locale?: LinkLocale | null;
  expiresAt?: string | null;
  used?: boolean;
}

export interface TaskActionView extends LinkCommon {
  kind: 'task-action';
  task: {
    id: string;
    title: string;
    description?: string | null;
    outcome: string;
    outcomeLabel?: string | null;
    status: string;
    /** The outcome the task was closed with, by anyone. */
    closedOutcome?: string | null;
    completedBy?: string | null;
    completedAt?: string | null;
  };
  recipientName?: string | null;
}

export interface SurveyQuestion {
  id: string;
  text: string;
  kind: 'rating' | 'single' | 'multiple' | 'text';
  options?: string[];
  required?: boolean;
}
export type SurveyAnswer = number | string | string[];

export interface SurveyView extends LinkCommon {
  kind: 'survey';
  survey: { title: string; questions: SurveyQuestion[] };
  customerName?: string | null;
  answered: boolean;
}

export interface TicketHistoryEntry {
  at: string;
  /** What happened, e.g. `opened`, `resolved`, `reopened`, or a status the ticket moved to. */
  type?: string;
  status?: string;
  text?: string | null;
}

export interface TicketView extends LinkCommon {
  kind: 'ticket';
  ticket: {
    id: string;
    subject: string;
    status: string;
    body?: string | null;
    resolution?: string | null;
    createdAt?: string | null;
    respondedAt?: string | null;
    resolvedAt?: string | null;
    closedAt?: string | null;
    /** When absent, the page lists the ticket's milestones (opened, answered, resolved, closed). */
    history?: TicketHistoryEntry[];
  };
  mayConfirm: boolean;
  mayReopen: boolean;
}

export interface OrderLine {
  lineNo?: number;
  /** The product's name as the customer knows it. */
  product?: string | null;
  name?: string | null;
  productName?: string | null;
  sku?: string | null;
  quantity: number;
  shippedQuantity?: number;
}
export interface OrderShipment {
  id?: string;
  status: string;
  createdAt?: string | null;
  shippedAt?: string | null;
  deliveredAt?: string | null;
  lines?: OrderLine[];
}

export interface OrderView extends LinkCommon {
  kind: 'order';
  order: {
    id: string;
    status: string;
    createdAt?: string | null;
    updatedAt?: string | null;
    lines: OrderLine[];
    shipments: OrderShipment[];
  };
}

export type LinkView = TaskActionView | SurveyView | TicketView | OrderView;

/** An RFC 9457 problem as the API answers it; `slug` is the last segment of `type`. */
export interface LinkProblem {
  status: number;
  slug: string;
  title: string;
  detail?: string;
  completedBy?: string | null;
  completedAt?: string | null;
  /** Per-field problems of a 400 (`{ path: '/body/answers/q1', message }`). */
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export type LinkResult<T> = { ok: true; value: T } | { ok: false; problem: LinkProblem };

function linkUrl(token: string): string {
  return `/api/v1/links/${encodeURIComponent(token)}`;
}

async function problemOf(response: Response): Promise<LinkProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
  }
  const type = typeof body.type === 'string' ? body.type : '';
  return {
    ...body,
    status: response.status,
    slug: type.slice(type.lastIndexOf('/') + 1),
    title: typeof body.title === 'string' ? body.title : response.statusText,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
  };
}

async function send<T>(token: string, init: RequestInit, locale: LinkLocale): Promise<LinkResult<T>> {
  let response: Response;
  try {
    response = await fetch(linkUrl(token), {
      ...init,
      headers: { accept: 'application/json', 'accept-language': locale, ...init.headers },
    });
  } catch {
    return { ok: false, problem: { status: 0, slug: 'network', title: 'Network error' } };
  }
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  return { ok: true, value: (await response.json()) as T };
}

export function fetchLink(token: string, locale: LinkLocale): Promise<LinkResult<LinkView>> {
  return send<LinkView>(token, { method: 'GET' }, locale);
}

/** The body per kind: task-action `{ comment? }`, survey `{ answers }`, ticket `{ action, comment? }`. */
export function actOnLink(token: string, body: object, locale: LinkLocale): Promise<LinkResult<Partial<LinkView>>> {
  return send<Partial<LinkView>>(
    token,
    { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    locale,
  );
}

/** The token of `/l/<token>`; null on any other path. */
export function tokenFromPath(pathname: string): string | null {
  const match = /^\/l\/([^/]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * What the token's unsigned payload says (kind, subject, locale), read without the server: only a
 * hint for the moment before the API answers, or when it refuses the link (an expired task link
 * still offers its task page). Never trusted for anything the server decides.
 */
export function peekLinkHint(token: string): { kind?: string; subject?: string; locale?: string } {
  try {
    const payload = token.split('.')[0] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const wire = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    return {
      kind: typeof wire.k === 'string' ? wire.k : undefined,
      subject: typeof wire.s === 'string' ? wire.s : undefined,
      locale: typeof wire.l === 'string' ? wire.l : undefined,
    };
  } catch {
    return {};
  }
}
