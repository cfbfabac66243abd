export { mailTemplateActivities } from './activities';
export { BUILTIN_MAIL_TEMPLATE_DIR, MailTemplateLoadError, builtinMailTemplates, loadMailTemplates } from './load';
export type { MailTemplate, MailTemplateProblem, MailTemplates } from './load';
export { FALLBACK_LOCALE, MAIL_LOCALES, isMailLocale, resolveMailLocale } from './locale';
export type { MailLocale } from './locale';
export { findMissingData } from './missing-data';
export { MailRenderError, renderMail } from './render';
export type { MailRenderErrorCode, RenderedMail } from './render';
