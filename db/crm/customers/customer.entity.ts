import { defineEntity, p } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';

/** A customer account: grade (VIP/A/B/C) drives ticket priority, the discount rate quote pricing. */
export const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    grade: p.text().$type<'VIP' | 'A' | 'B' | 'C'>().default('C'),
    region: p.text().nullable(),
    industry: p.text().nullable(),
    source: p.text().nullable(),
    /** 0.05 = 5 %; numeric(5,4). */
    discountRate: p.decimal('number').precision(5).scale(4).default(0),
    locale: p.text().$type<'zh-CN' | 'en'>().default('zh-CN'),
    /** ISO date (yyyy-mm-dd). */
    birthday: p.date().nullable(),
    owner: p.manyToOne(EngineUser).ref().nullable(),
    purchasedVolume: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);

/** A person at a customer; phone is E.164. */
export const ContactSchema = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  properties: {
    id: p.text().primary(),
    customer: p.manyToOne(Customer).ref(),
    name: p.text(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    role: p.text().nullable(),
    isPrimary: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Contact extends ContactSchema.class {}
ContactSchema.setClass(Contact);
