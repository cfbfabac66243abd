import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableInt, NullableText, PageQuery } from './common';

const leadFields = {
  source: Type.String(), company: Type.String(), contactName: Type.String(), email: NullableText, phone: NullableText,
  region: NullableText, productInterest: NullableText, estimatedValueCents: NullableInt,
  status: Type.String({ description: 'new | contacted | qualified | disqualified' }), ownerId: NullableText,
  customerId: NullableText, createdAt: Iso, updatedAt: Iso,
};
export const Lead = CrmRecord(leadFields, 'A sales lead.');
export const LeadWithNotes = CrmRecord({
  ...leadFields,
  notes: Type.Array(Type.Object({ at: Type.String(), by: NullableText, text: Type.String() })),
}, 'A sales lead with its notes.');

export const StartedProcesses = {
  processes: Type.Array(Type.Object({ templateKey: Type.String(), instanceId: Type.String() }), { description: 'Instances the event started.' }),
  triggerPending: Type.Boolean({ description: 'True when the event waits for the dispatcher (it retries); `processes` is then empty.' }),
};

export const CreatedLead = Type.Object({ lead: Lead, ...StartedProcesses });

export const CreateLeadQuery = Type.Object({
  allowDuplicate: Type.Optional(Type.Boolean({ description: 'Create it even if it looks like an existing lead.' })),
}, { additionalProperties: false });

export const LeadListQuery = Type.Object({
  status: Type.Optional(Type.String()), source: Type.Optional(Type.String()), region: Type.Optional(Type.String()),
  ownerId: Type.Optional(Type.String({ description: 'Managers and admins only; sales reps always see their own.' })), ...PageQuery,
}, { additionalProperties: false });
export const LeadPage = CrmPage(Lead);
