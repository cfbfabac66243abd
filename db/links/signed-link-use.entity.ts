import { defineEntity, p } from '@mikro-orm/postgresql';

/** A single-use link that has acted: its id is kept so the same link cannot act twice. */
export const SignedLinkUseSchema = defineEntity({
  name: 'SignedLinkUse',
  tableName: 'signed_link_use',
  properties: {
    jti: p.text().primary(),
    usedAt: p.datetime(),
    kind: p.text(),
    subject: p.text(),
  },
});

export class SignedLinkUse extends SignedLinkUseSchema.class {}
SignedLinkUseSchema.setClass(SignedLinkUse);
