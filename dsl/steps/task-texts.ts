import { LOCALES, type Locale } from '../locales';
import type { LocalizedText, TaskTextTemplates, ValueTemplate } from '../plan';
import { isRecord, type StepContext } from './step-kind';
import type { Path } from '../path';

/**
 * A task's `title` and `description` as the plan holds them. Either may be a plain value or a map
 * `{ en: …, zh-CN: … }` (any mapping is read as one: a title is shown as text, so an object
 * title meant nothing before); each locale's value may hold expressions, checked where it stands.
 * With no map the plan is what it always was; with one, `title`/`description` are the `en`
 * variants and `texts` has every locale (the localized-texts rule reports a missing or unknown key).
 */
export function compileTaskTexts(
  ctx: StepContext,
  at: (...rest: string[]) => Path,
  task: Record<string, unknown>,
): { title: ValueTemplate; description?: ValueTemplate; texts?: Record<Locale, TaskTextTemplates> } {
  const titleMap = isRecord(task.title) ? task.title : undefined;
  const descriptionMap = isRecord(task.description) ? task.description : undefined;
  const plainTitle = titleMap ? undefined : ctx.value(at('title'), task.title ?? '');
  const plainDescription =
    descriptionMap || task.description === undefined ? undefined : ctx.value(at('description'), task.description);
  if (!titleMap && !descriptionMap)
    return { title: plainTitle ?? '', ...(plainDescription !== undefined ? { description: plainDescription } : {}) };

  const texts = {} as Record<Locale, TaskTextTemplates>;
  for (const locale of LOCALES) {
    const title = titleMap ? ctx.value(at('title', locale), titleMap[locale] ?? '') : (plainTitle ?? '');
    const description = descriptionMap
      ? descriptionMap[locale] === undefined
        ? undefined
        : ctx.value(at('description', locale), descriptionMap[locale])
      : plainDescription;
    texts[locale] = { title, ...(description !== undefined ? { description } : {}) };
  }
  const { title, description } = texts.en;
  return { title, ...(description !== undefined ? { description } : {}), texts };
}

/** `outcomeLabels` with every label in every locale: a plain label reads the same in all of them. */
export function compileOutcomeLabels(raw: unknown): Record<string, LocalizedText> | undefined {
  if (!isRecord(raw)) return undefined;
  const labels: Record<string, LocalizedText> = {};
  for (const [outcome, label] of Object.entries(raw)) {
    const text = localizedText(label);
    if (text) labels[outcome] = text;
  }
  return Object.keys(labels).length > 0 ? labels : undefined;
}

function localizedText(raw: unknown): LocalizedText | undefined {
  if (typeof raw === 'string') return Object.fromEntries(LOCALES.map((locale) => [locale, raw])) as LocalizedText;
  if (!isRecord(raw)) return undefined;
  const fallback = typeof raw.en === 'string' ? raw.en : '';
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, typeof raw[locale] === 'string' ? raw[locale] : fallback]),
  ) as LocalizedText;
}
