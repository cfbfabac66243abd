import Mustache from 'mustache';
import { resolveMailLocale, type MailLocale } from './locale';
import { builtinMailTemplates, type MailTemplates } from './load';
import { findMissingData } from './missing-data';
import { mailFormatters } from './value-formats';

export interface RenderedMail {
  template: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html?: string;
}

export type MailRenderErrorCode = 'mail.unknown-template' | 'mail.missing-data';

/** A template that cannot be rendered for the caller's input; `missing` lists absent data names. */
export class MailRenderError extends Error {
  constructor(
    readonly code: MailRenderErrorCode,
    message: string,
    readonly missing: string[] = [],
  ) {
    super(message);
    this.name = 'MailRenderError';
  }
}

const plain = { escape: (value: unknown) => String(value) };
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Mustache's default also encodes `/` and `=`, which is valid but makes links unreadable in source.
const escaped = { escape: (value: unknown) => String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char) };

/**
 * Renders a template in the best locale it offers (see `resolveMailLocale`): HTML-escaped in
 * `html`, verbatim in `subject` and `text`. Every value the rendered parts use must be present.
 * Templates format money and dates for their reader with the sections of `mailFormatters`.
 */
export function renderMail(
  name: string,
  locale: string | undefined,
  data: Record<string, unknown>,
  templates: MailTemplates = builtinMailTemplates(),
): RenderedMail {
  const locales = templates.get(name);
  if (!locales) {
    throw new MailRenderError(
      'mail.unknown-template',
      `unknown mail template "${name}" (known: ${[...templates.keys()].join(', ')})`,
    );
  }
  const chosen = resolveMailLocale(locale, [...locales.keys()]);
  const template = locales.get(chosen);
  if (!template) throw new MailRenderError('mail.unknown-template', `mail template "${name}" has no ${chosen} version`);
  const parts = [template.subject, template.text, ...(template.html === undefined ? [] : [template.html])];
  // The formatters come last: a value named like one cannot stop a template from formatting.
  const view = { ...data, ...mailFormatters(chosen) };
  const missing = [...new Set(parts.flatMap((part) => findMissingData(part, view)))];
  if (missing.length > 0) {
    throw new MailRenderError(
      'mail.missing-data',
      `mail template "${name}" (${chosen}) needs data it was not given: ${missing.join(', ')}`,
      missing,
    );
  }
  return {
    template: name,
    locale: chosen,
    // One header line whatever the data holds.
    subject: Mustache.render(template.subject, view, {}, plain)
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .trim(),
    text: Mustache.render(template.text, view, {}, plain),
    ...(template.html === undefined ? {} : { html: Mustache.render(template.html, view, {}, escaped) }),
  };
}
