/** The studio's panels; the open one is in the URL so a link opens the same view. */
export const STUDIO_PANELS = ['problems', 'dry-run', 'policy', 'versions'] as const;
export type StudioPanel = (typeof STUDIO_PANELS)[number];

export interface StudioSearch {
  panel?: StudioPanel;
  /** The rule step the policy panel judges (a step id). */
  step?: string;
}

export interface CompareSearch {
  from?: number;
  to?: number;
}

const versionOf = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(number) && number >= 1 ? number : undefined;
};

export function parseStudioSearch(search: Record<string, unknown>): StudioSearch {
  const panel = search['panel'];
  const step = search['step'];
  return {
    panel: STUDIO_PANELS.includes(panel as StudioPanel) ? (panel as StudioPanel) : undefined,
    step: typeof step === 'string' && /^[\w-]{1,100}$/.test(step) ? step : undefined,
  };
}

export const parseCompareSearch = (search: Record<string, unknown>): CompareSearch => ({
  from: versionOf(search['from']),
  to: versionOf(search['to']),
});
