import { PRIORITIES, type TaskPriority } from '../api-types';

export const VIEWS = ['mine', 'queue', 'unassigned', 'done'] as const;
export type InboxView = (typeof VIEWS)[number];
export const SORTS = ['due', 'priority', 'template', 'created'] as const;
export type InboxSort = (typeof SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The inbox's state, all of it in the URL so that a link (or a saved view) opens the same list. */
export interface InboxSearch {
  view?: InboxView;
  sort?: InboxSort;
  order?: SortOrder;
  template?: string;
  priority?: TaskPriority;
  q?: string;
  /** A saved view to open; its query fills the rest. */
  savedView?: string;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;

export function parseInboxSearch(search: Record<string, unknown>): InboxSearch {
  return {
    view: oneOf(VIEWS, search['view']),
    sort: oneOf(SORTS, search['sort']),
    order: oneOf(['asc', 'desc'] as const, search['order']),
    template: text(search['template']),
    priority: oneOf(PRIORITIES, search['priority']),
    q: text(search['q']),
    savedView: text(search['savedView']),
  };
}

export const withDefaults = (search: InboxSearch) => ({
  ...search,
  view: search.view ?? 'mine',
  sort: search.sort ?? 'due',
  order: search.order ?? 'asc',
});

/** The list query of the inbox (no saved view: that only names where the filters came from). */
export function listQueryOf(search: InboxSearch): string {
  const params = new URLSearchParams();
  for (const key of ['view', 'sort', 'order', 'template', 'priority', 'q'] as const) {
    const value = search[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

export const hasListParams = (search: InboxSearch) => listQueryOf(search) !== '';

export const searchOfQuery = (query: string): InboxSearch =>
  parseInboxSearch(Object.fromEntries(new URLSearchParams(query)));
