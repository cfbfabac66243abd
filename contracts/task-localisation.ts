import type { FormFieldSchema, FormSchema, LocalizedText } from '../dsl/plan';
import type { Locale } from '../dsl/locales';
import type { TaskTexts } from './engine';

/** What a task carries of its template's texts (the inbox row has all of it). */
export interface TaskTextSource {
  title: string;
  description?: string | null;
  texts?: TaskTexts | null;
  outcomes: readonly string[];
  outcomeLabels?: Record<string, LocalizedText> | null;
  form?: FormSchema | null;
}

/** A task's texts in one locale, as a reader of that locale sees them. */
export interface LocalisedTask {
  title: string;
  description: string | null;
  /** Every outcome's label; an outcome the template does not label shows its id. */
  outcomeLabels: Record<string, string>;
  /** The form as JSON Schema, field titles and descriptions in the locale. */
  form: FormSchema | null;
}

/**
 * A task's title, description, outcome labels and form in `locale`. A task of a template without
 * texts per locale reads the same in every locale (its title and description as written).
 */
export function localiseTask(task: TaskTextSource, locale: Locale): LocalisedTask {
  const text = task.texts?.[locale];
  return {
    title: text?.title ?? task.title,
    description: text ? text.description : (task.description ?? null),
    outcomeLabels: Object.fromEntries(
      task.outcomes.map((outcome) => [outcome, task.outcomeLabels?.[outcome]?.[locale] ?? outcome]),
    ),
    form: task.form ? localiseForm(task.form, locale) : null,
  };
}

export function localiseForm(form: FormSchema, locale: Locale): FormSchema {
  return {
    ...form,
    properties: Object.fromEntries(
      Object.entries(form.properties).map(([name, field]) => [name, localiseField(field, locale)]),
    ),
  };
}

function localiseField(field: FormFieldSchema, locale: Locale): FormFieldSchema {
  const { title, description, items, ...rest } = field;
  return {
    ...rest,
    ...(title !== undefined ? { title: textIn(title, locale) } : {}),
    ...(description !== undefined ? { description: textIn(description, locale) } : {}),
    ...(items ? { items: localiseField(items, locale) } : {}),
  };
}

const textIn = (text: string | LocalizedText, locale: Locale): string =>
  typeof text === 'string' ? text : (text[locale] ?? text.en);
