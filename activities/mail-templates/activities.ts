import { ApplicationFailure } from '@temporalio/activity';
import { Type, type Static } from 'typebox';
import { defineActivity } from '../activity-definition';
import { sendMail } from '../mail';
import { builtinMailTemplates } from './load';
import { MailRenderError, renderMail } from './render';

export const SendTemplateMailParams = Type.Object(
  {
    to: Type.String({ format: 'email', description: 'Recipient address' }),
    template: Type.String({
      pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
      description: 'A mail template in templates/mail, e.g. lead-assigned',
    }),
    locale: Type.Optional(
      Type.String({ minLength: 1, maxLength: 35, description: 'BCP 47 tag; zh → zh-CN, anything unknown → en' }),
    ),
    data: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Values the template refers to; every one it renders must be present',
    }),
    idempotencyKey: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'Defaults to the activity execution' }),
    ),
  },
  { additionalProperties: false },
);

export const SendTemplateMailResult = Type.Object({
  outboxId: Type.String(),
  messageId: Type.String(),
  alreadySent: Type.Boolean(),
  locale: Type.String({ description: 'The locale the mail was rendered in' }),
});
export type SendTemplateMailResult = Static<typeof SendTemplateMailResult>;

export const mailTemplateActivities = [
  defineActivity({
    name: 'mail.sendTemplate',
    contract: {
      description:
        'Render a localized mail template and send it through the outbox (at most once per idempotency key).',
      params: SendTemplateMailParams,
      result: SendTemplateMailResult,
    },
    /**
     * Renders a mail template in the recipient's locale and sends it through the outbox, so
     * retries with the same idempotency key deliver it once. Bad template names and missing
     * data are the caller's mistake and fail without retrying.
     */
    async run(params, deps) {
      let mail;
      try {
        mail = renderMail(
          params.template,
          params.locale,
          absoluteLinks(params.data, deps.publicUrl),
          deps.mailTemplates ?? builtinMailTemplates(),
        );
      } catch (error) {
        if (!(error instanceof MailRenderError)) throw error;
        throw ApplicationFailure.create({
          type: error.code,
          message: error.message,
          nonRetryable: true,
          details: error.missing.length > 0 ? [{ missing: error.missing }] : undefined,
        });
      }
      const sent = await sendMail(
        {
          to: params.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html === undefined ? {} : { html: mail.html }),
          ...(params.idempotencyKey === undefined ? {} : { idempotencyKey: params.idempotencyKey }),
        },
        deps,
      );
      return { ...sent, locale: mail.locale };
    },
  }),
] as const;

/**
 * Links in mail data given as paths (`leadUrl: /api/v1/leads/L-1`) are made absolute with the
 * deployment's PUBLIC_URL, so templates never name a host: only fields whose name ends in `Url`
 * and whose value starts with a single `/` are touched.
 */
export function absoluteLinks(data: Record<string, unknown>, publicUrl: string | undefined): Record<string, unknown> {
  const base = (publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      key.endsWith('Url') && typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
        ? `${base}${value}`
        : value,
    ]),
  );
}
