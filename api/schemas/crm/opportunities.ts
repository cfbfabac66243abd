import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';

export const Opportunity = CrmRecord({
  customerId: Type.String(), leadId: NullableText, name: NullableText,
  stage: Type.String({ description: 'prospecting | qualification | proposal | negotiation | won | lost' }),
  probability: Type.Integer({ minimum: 0, maximum: 100 }), amountCents: Type.Integer(), ownerId: NullableText,
  expectedCloseDate: NullableText, createdAt: Iso, updatedAt: Iso,
}, 'A sales opportunity.');

export const OpportunityListQuery = Type.Object({
  stage: Type.Optional(Type.String()), customerId: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()), ...PageQuery,
}, { additionalProperties: false });
export const OpportunityPage = CrmPage(Opportunity);
