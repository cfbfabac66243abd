import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * A person's absence: from `startsAt` to `endsAt` the tasks that open assigned to them go to
 * `delegateId` instead. One rule per person (setting it again replaces it).
 */
export const OutOfOfficeSchema = defineEntity({
  name: 'OutOfOffice',
  tableName: 'out_of_office',
  properties: {
    userId: p.text().primary(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    delegateId: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class OutOfOffice extends OutOfOfficeSchema.class {}
OutOfOfficeSchema.setClass(OutOfOffice);
