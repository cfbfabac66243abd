import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import { FALLBACK_LOCALE, MAIL_LOCALES, isMailLocale, type MailLocale } from './locale';

/** One template file: mustache sources for the subject, the text body and optionally the HTML body. */
export interface MailTemplate {
  name: string;
  locale: MailLocale;
  file: string;
  subject: string;
  text: string;
  html?: string;
}

/** Every template by name, then by locale. */
export type MailTemplates = ReadonlyMap<string, ReadonlyMap<MailLocale, MailTemplate>>;

export interface MailTemplateProblem {
  file: string;
  message: string;
}

/** All problems found in a template directory, so one run shows every broken file. */
export class MailTemplateLoadError extends Error {
  readonly code = 'mail.template-invalid';
  constructor(readonly problems: MailTemplateProblem[]) {
    super(`invalid mail templates:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}`);
    this.name = 'MailTemplateLoadError';
  }
}

export const BUILTIN_MAIL_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/mail', import.meta.url));

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const FIELDS = new Set(['subject', 'text', 'html']);

/**
 * Reads `<dir>/<name>/<locale>.yaml` and checks each file: a known locale, a mapping with a
 * one-line `subject` and a `text` (and an optional `html`), valid mustache without partials,
 * and an `en` version for every template so fallback always has somewhere to land.
 */
export function loadMailTemplates(dir: string): MailTemplates {
  const problems: MailTemplateProblem[] = [];
  const templates = new Map<string, Map<MailLocale, MailTemplate>>();
  const display = (...parts: string[]) => path.join(path.relative(process.cwd(), dir) || '.', ...parts);
  if (!fs.existsSync(dir)) throw new MailTemplateLoadError([{ file: display(), message: 'directory does not exist' }]);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const name = entry.name;
    if (!NAME.test(name)) {
      problems.push({ file: display(name), message: 'template names are lower-case words joined by "-"' });
      continue;
    }
    const locales = new Map<MailLocale, MailTemplate>();
    const present = new Set<MailLocale>();
    for (const fileName of fs.readdirSync(path.join(dir, name)).sort()) {
      const file = display(name, fileName);
      if (!fileName.endsWith('.yaml')) {
        problems.push({ file, message: 'expected only <locale>.yaml files' });
        continue;
      }
      const locale = fileName.slice(0, -'.yaml'.length);
      if (!isMailLocale(locale)) {
        problems.push({ file, message: `unknown locale "${locale}" (known: ${MAIL_LOCALES.join(', ')})` });
        continue;
      }
      present.add(locale);
      const template = readTemplateFile(path.join(dir, name, fileName), file, name, locale, problems);
      if (template) locales.set(locale, template);
    }
    if (!present.has(FALLBACK_LOCALE))
      problems.push({
        file: display(name, `${FALLBACK_LOCALE}.yaml`),
        message: `missing: every template needs the fallback locale ${FALLBACK_LOCALE}`,
      });
    templates.set(name, locales);
  }
  if (problems.length > 0) throw new MailTemplateLoadError(problems);
  return templates;
}

function readTemplateFile(
  fullPath: string,
  file: string,
  name: string,
  locale: MailLocale,
  problems: MailTemplateProblem[],
): MailTemplate | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(fullPath, 'utf8'));
  } catch (error) {
    problems.push({ file, message: `YAML syntax error: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ file, message: 'expected a mapping with subject, text and optional html' });
    return undefined;
  }
  const fields = doc as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(fields))
    if (!FIELDS.has(key)) problems.push({ file, message: `unknown field "${key}" (allowed: subject, text, html)` });
  for (const field of ['subject', 'text'] as const) {
    if (fields[field] === undefined) problems.push({ file, message: `missing ${field}` });
  }
  for (const field of FIELDS) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ file, message: `${field} must be a non-empty string` });
      continue;
    }
    if (field === 'subject' && /[\r\n]/.test(value)) problems.push({ file, message: 'subject must be one line' });
    checkMustache(value, `${field}`, file, problems);
  }
  if (problems.length > before) return undefined;
  const { subject, text, html } = fields as { subject: string; text: string; html?: string };
  return { name, locale, file, subject, text, ...(html === undefined ? {} : { html }) };
}

function checkMustache(source: string, field: string, file: string, problems: MailTemplateProblem[]): void {
  let spans: ReturnType<typeof Mustache.parse>;
  try {
    spans = Mustache.parse(source);
  } catch (error) {
    problems.push({
      file,
      message: `${field}: mustache syntax error: ${error instanceof Error ? error.message : String(error)}`,
    });
    return;
  }
  const hasPartial = (list: ReturnType<typeof Mustache.parse>): boolean =>
    list.some(
      (span) => span[0] === '>' || (Array.isArray(span[4]) && hasPartial(span[4] as ReturnType<typeof Mustache.parse>)),
    );
  if (hasPartial(spans)) problems.push({ file, message: `${field}: partials ({{> name}}) are not supported` });
}

let builtin: MailTemplates | undefined;

/** The shipped templates, read and checked once per process on first use. */
export function builtinMailTemplates(): MailTemplates {
  builtin ??= loadMailTemplates(BUILTIN_MAIL_TEMPLATE_DIR);
  return builtin;
}
