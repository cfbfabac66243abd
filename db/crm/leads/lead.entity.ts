import { defineEntity, p } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';
import { Customer } from '../customers/customer.entity';
import type { LeadNote, LeadStatus, OpportunityStage } from './lead.schema';

/** A sales lead; duplicates are found by lower(email) or lower(company) + lower(contact_name). */
export const LeadSchema = defineEntity({
  name: 'Lead',
  tableName: 'leads',
  properties: {
    id: p.text().primary(),
    source: p.text(),
    company: p.text(),
    contactName: p.text(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    region: p.text().nullable(),
    productInterest: p.text().nullable(),
    estimatedValueCents: p.bigint('number').nullable(),
    status: p.text().$type<LeadStatus>().default('new'),
    owner: p.manyToOne(EngineUser).ref().nullable(),
    /** The customer a qualified lead was converted into. */
    customer: p.manyToOne(Customer).ref().nullable(),
    notes: p.json<LeadNote[]>().onCreate(() => []),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Lead extends LeadSchema.class {}
LeadSchema.setClass(Lead);

/** A sales opportunity in the funnel, with its win probability (0..100). */
export const OpportunitySchema = defineEntity({
  name: 'Opportunity',
  tableName: 'opportunities',
  properties: {
    id: p.text().primary(),
    customer: p.manyToOne(Customer).ref(),
    lead: p.manyToOne(Lead).ref().nullable(),
    name: p.text().nullable(),
    stage: p.text().$type<OpportunityStage>().default('prospecting'),
    probability: p.integer().default(10),
    amountCents: p.bigint('number').default(0),
    owner: p.manyToOne(EngineUser).ref().nullable(),
    expectedCloseDate: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Opportunity extends OpportunitySchema.class {}
OpportunitySchema.setClass(Opportunity);
