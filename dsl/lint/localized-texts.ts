import { LOCALES, isLocale } from '../locales';
import type { Path } from '../path';
import { isRecord } from '../steps/step-kind';
import { closestName, didYouMean, suggestName } from '../suggest';
import type { LintContext, LintRule } from './rule';

type Report = LintContext['report'];

/**
 * Texts given per locale: a map names only known locales and every one of them (a viewer in any
 * locale sees the task), and outcome labels name declared outcomes. Outcome labels and form
 * field texts are fixed at publish time, so they may not be expressions; a task's title and
 * description may, and the expressions rule checks each locale's.
 */
export const localizedTexts: LintRule = {
  name: 'localized-texts',
  codes: ['text.unknown-locale', 'text.missing-locale', 'text.not-literal', 'task.unknown-outcome'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.kind !== 'task' || !isRecord(step.raw.task)) continue;
      const task = step.raw.task;
      const at = (...rest: (string | number)[]): Path => [...step.path, 'task', ...rest];
      checkLocaleMap(task.title, at('title'), report);
      checkLocaleMap(task.description, at('description'), report);
      if (isRecord(task.outcomeLabels)) checkOutcomeLabels(task.outcomeLabels, task.outcomes, at, report);
      if (isRecord(task.form)) checkForm(task.form, at('form'), report);
    }
  },
};

function checkLocaleMap(value: unknown, at: Path, report: Report): void {
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    if (isLocale(key)) continue;
    const meant = sameLanguage(key);
    report(
      'text.unknown-locale',
      [...at, key],
      `'${key}' is not a locale of the product (${LOCALES.join(', ')})${meant === undefined ? '' : `; did you mean '${meant}'?`}`,
      { atKey: true, fix: meant === undefined ? undefined : { from: key, to: meant } },
    );
  }
  const missing = LOCALES.filter((locale) => value[locale] === undefined);
  if (missing.length > 0)
    report(
      'text.missing-locale',
      at,
      `a text given per locale needs every locale: add ${missing.map((locale) => `${locale}: …`).join(', ')} (or give one plain text for all)`,
      { atKey: true },
    );
}

/** `zh`, `zh_CN` or `en-US` were meant as the product's locale of that language. */
function sameLanguage(key: string): string | undefined {
  const language = key.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((candidate) => candidate.toLowerCase().split('-')[0] === language) ?? closestName(key, LOCALES);
}

function checkLiteralText(value: unknown, at: Path, report: Report): void {
  checkLocaleMap(value, at, report);
  const texts = isRecord(value) ? Object.entries(value) : [[null, value] as const];
  for (const [locale, text] of texts) {
    if (typeof text === 'string' && text.startsWith('=') && !text.startsWith('=='))
      report(
        'text.not-literal',
        locale === null ? at : [...at, locale],
        "outcome labels and form texts are fixed when the template is published and cannot be expressions; write the text itself (start it with '==' for a literal '=')",
      );
  }
}

function checkOutcomeLabels(
  labels: Record<string, unknown>,
  outcomes: unknown,
  at: (...rest: string[]) => Path,
  report: Report,
) {
  const declared = Array.isArray(outcomes) ? outcomes.filter((o): o is string => typeof o === 'string') : [];
  for (const [outcome, label] of Object.entries(labels)) {
    if (!declared.includes(outcome))
      report(
        'task.unknown-outcome',
        at('outcomeLabels', outcome),
        `'${outcome}' is not one of the task's outcomes (${declared.join(', ') || 'none'})${didYouMean(outcome, declared)}`,
        { atKey: true, fix: suggestName(outcome, declared) },
      );
    checkLiteralText(label, at('outcomeLabels', outcome), report);
  }
}

/** Each field's title and description, in the shorthand or the full form, items included. */
function checkForm(form: Record<string, unknown>, at: Path, report: Report): void {
  const full = form.type === 'object' && isRecord(form.properties);
  const fields = full ? (form.properties as Record<string, unknown>) : form;
  const fieldsAt = full ? [...at, 'properties'] : at;
  for (const [name, field] of Object.entries(fields)) checkField(field, [...fieldsAt, name], report);
}

function checkField(field: unknown, at: Path, report: Report): void {
  if (!isRecord(field)) return;
  if (field.title !== undefined) checkLiteralText(field.title, [...at, 'title'], report);
  if (field.description !== undefined) checkLiteralText(field.description, [...at, 'description'], report);
  if (field.items !== undefined) checkField(field.items, [...at, 'items'], report);
}
