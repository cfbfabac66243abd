import { ApplicationFailure } from '@temporalio/activity';
import type { SendTemplateMailParams, SendTemplateMailResult } from '../catalog';
import type { ActivityDeps } from '../deps';
import { createMailActivities } from '../mail';
import { absoluteLinks } from './links';
import { builtinMailTemplates, type MailTemplates } from './load';
import { MailRenderError, renderMail } from './render';

export function createMailTemplateActivities(deps: ActivityDeps, templates: MailTemplates = builtinMailTemplates()) {
  const send = createMailActivities(deps)['mail.send'];
  return {
    /**
     * Renders a mail template in the recipient's locale and sends it through the outbox, so
     * retries with the same idempotency key deliver it once. Bad template names and missing
     * data are the caller's mistake and fail without retrying.
     */
    async 'mail.sendTemplate'(params: SendTemplateMailParams): Promise<SendTemplateMailResult> {
      let mail;
      try {
        mail = renderMail(params.template, params.locale, absoluteLinks(params.data, deps.publicUrl), templates);
      } catch (error) {
        if (!(error instanceof MailRenderError)) throw error;
        throw ApplicationFailure.create({
          type: error.code, message: error.message, nonRetryable: true,
          details: error.missing.length > 0 ? [{ missing: error.missing }] : undefined,
        });
      }
      const sent = await send({
        to: params.to, subject: mail.subject, text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        ...(params.idempotencyKey === undefined ? {} : { idempotencyKey: params.idempotencyKey }),
      });
      return { ...sent, locale: mail.locale };
    },
  };
}
