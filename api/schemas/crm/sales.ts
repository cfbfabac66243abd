import { Type } from 'typebox';
import { CrmPage, CrmRecord, Iso, NullableText, PageQuery } from './common';
import { StartedProcesses } from './common';


export const Signalled = Type.Object({
  accepted: Type.Literal(true),
  event: Type.String(),
  eventId: Type.String(),
  instanceIds: Type.Array(Type.String(), { description: 'The running instances that took the event.' }),
});
