import { LockMode, raw, ref, sql, type EntityManager } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { ownerBranches, ownerCondition } from '../owner-filter';
import { Contact as ContactEntity, Customer as CustomerEntity } from './customer.entity';
import type {
  Contact,
  ContactFields,
  CreateCustomerInput,
  Customer,
  CustomerCounts,
  UpdateCustomerInput,
} from './customer.schema';
import { recordChange } from '../../repositories/audit-log';

export interface CustomerFilters {
  grade?: string;
  region?: string;
  ownerId?: string;
  /** Only customers one of these people owns (the reader's scope); undefined: every customer. */
  ownerIds?: readonly string[];
  name?: string;
  cursor?: string;
  limit?: number;
}

/** Whose records a customer's counts include, per kind (undefined: everyone's). */
export interface CountOwners {
  leads?: readonly string[];
  opportunities?: readonly string[];
  quotes?: readonly string[];
  orders?: readonly string[];
}

/** The customers and contacts tables: the only reader and writer of customers and their contact people. */
export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  find(id: string): Promise<CustomerEntity | null> {
    return this.em.findOne(CustomerEntity, id);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.em.count(CustomerEntity, { id })) > 0;
  }

  /** The customer, locked for this transaction (a change checks who may make it under this lock). */
  lock(id: string): Promise<CustomerEntity | null> {
    return this.em.findOne(CustomerEntity, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  list(filters: CustomerFilters): Promise<Page<CustomerEntity>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const equals = { grade: filters.grade, region: filters.region, owner_id: filters.ownerId };
    if (filters.name !== undefined) {
      where.push('lower(name) like ?');
      params.push(`%${filters.name.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
    }
    return queryKeysetPage(this.em, {
      entity: CustomerEntity,
      table: 'customers',
      orderColumn: 'created_at',
      equals,
      anyOf: ownerBranches(filters.ownerIds),
      where,
      params,
      cursor: filters.cursor,
      limit: filters.limit,
      // A search's best plan depends on its word (migration 20261238): never a plan kept for another.
      planning: filters.name === undefined ? 'kept' : 'per-call',
    });
  }

  /** A new customer with its own id (C-…) and its contacts (P-…). */
  async create(input: CreateCustomerInput): Promise<CustomerEntity> {
    const customer = this.em.create(CustomerEntity, {
      id: newCrmId('C'),
      name: input.name,
      grade: input.grade ?? 'C',
      region: input.region ?? null,
      industry: input.industry ?? null,
      source: input.source ?? null,
      discountRate: input.discountRate ?? 0,
      locale: input.locale ?? 'zh-CN',
      birthday: input.birthday ?? null,
      owner: input.ownerId === undefined ? null : ref(EngineUser, input.ownerId),
    });
    await this.em.flush();
    for (const contact of input.contacts ?? []) await this.addContact(customer.id, contact);
    return customer;
  }

  /** Changes the fields given; null if there is no such customer. */
  async update(id: string, input: UpdateCustomerInput): Promise<CustomerEntity | null> {
    const customer = await this.find(id);
    if (!customer) return null;
    const { ownerId, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(customer, { [key]: value });
    }
    if (ownerId !== undefined) customer.owner = ref(EngineUser, ownerId);
    await this.em.flush();
    return customer;
  }

  /** Contacts of the customer, the primary one first. */
  listContacts(customerId: string): Promise<ContactEntity[]> {
    return this.em.find(
      ContactEntity,
      { customer: customerId },
      { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }] },
    );
  }

  /** The contact a customer is reached through first: the primary one, else the oldest. */
  async findPrimaryContact(customerId: string): Promise<ContactEntity | null> {
    return (
      (
        await this.em.find(
          ContactEntity,
          { customer: customerId },
          {
            orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
            limit: 1,
          },
        )
      )[0] ?? null
    );
  }

  /** A new contact (P-…); a new primary contact takes the customer's primary flag from the old one. */
  async addContact(customerId: string, fields: ContactFields): Promise<ContactEntity> {
    if (fields.isPrimary) {
      const demoted = await this.em.nativeUpdate(
        ContactEntity,
        { customer: customerId, isPrimary: true },
        { isPrimary: false },
      );
      if (demoted > 0)
        await recordChange(this.em, {
          action: 'Contact.update',
          subject: `customers:${customerId}`,
          before: { primaryContact: true },
          after: { primaryContact: false },
          detail: { contactsDemoted: demoted },
        });
    }
    const contact = this.em.create(ContactEntity, {
      id: newCrmId('P'),
      customer: ref(CustomerEntity, customerId),
      name: fields.name,
      email: fields.email ?? null,
      phone: fields.phone ?? null,
      role: fields.role ?? null,
      isPrimary: fields.isPrimary ?? false,
    });
    await this.em.flush();
    return contact;
  }

  /**
   * The e-mail a customer is reached at: the preferred contact if it has one, else the primary
   * contact, else the oldest contact with an address; null when no contact has one.
   */
  async findEmail(customerId: string | null, preferredContactId: string | null = null): Promise<string | null> {
    const withEmail = { email: { $ne: null, $nin: [''] } };
    if (preferredContactId !== null) {
      const preferred = await this.em.findOne(ContactEntity, { id: preferredContactId, ...withEmail });
      if (preferred) return preferred.email ?? null;
    }
    if (customerId === null) return null;
    const [contact] = await this.em.find(
      ContactEntity,
      { customer: customerId, ...withEmail },
      {
        orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
        limit: 1,
      },
    );
    return contact?.email ?? null;
  }

  /**
   * The contact with this e-mail (any case) or phone, within the customer when one is given: who
   * reported a ticket, or who a survey invitation went to (the primary contact first when two
   * share the address). Raw SQL for the case-insensitive match on the `lower(email)` index.
   */
  async findContactByAddress(by: {
    customerId?: string | null;
    email?: string | null;
    phone?: string | null;
  }): Promise<{ id: string; customerId: string } | null> {
    if (!by.email && !by.phone) return null;
    const [row] = await this.em.execute<{ id: string; customer_id: string }[]>(
      `select id, customer_id from contacts where (?::text is null or customer_id = ?::text)
         and ((?::text is not null and lower(email) = lower(?::text)) or (?::text is not null and phone = ?::text))
       order by is_primary desc, created_at, id limit 1`,
      [
        by.customerId ?? null,
        by.customerId ?? null,
        by.email ?? null,
        by.email ?? null,
        by.phone ?? null,
        by.phone ?? null,
      ],
    );
    return row ? { id: row.id, customerId: row.customer_id } : null;
  }

  /**
   * Adds delivered units to what the customer has bought: relative to the stored value in one
   * statement, so two deliveries of the same customer at once both count.
   */
  async addPurchasedVolume(customerId: string, units: number): Promise<void> {
    await this.em.nativeUpdate(CustomerEntity, customerId, {
      purchasedVolume: raw('purchased_volume + ?', [units]),
      updatedAt: sql.now(),
    });
    await recordChange(this.em, {
      action: 'Customer.update',
      subject: `customers:${customerId}`,
      detail: { purchasedVolumeAdded: units },
    });
  }

  /**
   * The counts of the 360° view, of the records the reader may see: for each kind, undefined
   * counts every record, a list of ids those one of them owns. A report over other aggregates'
   * tables (leads, quotes, orders, tickets): raw SQL, one round trip, only counting.
   */
  async counts(id: string, ownerIds: CountOwners = {}): Promise<CustomerCounts> {
    const params: unknown[] = [];
    const count = (table: string, condition: string, owners?: readonly string[]) => {
      const owned = ownerCondition(owners);
      params.push(id, ...owned.params);
      return `(select count(*) from ${table} where customer_id = ? and ${condition} and ${owned.sql})`;
    };
    const select = [
      `${count('leads', "status in ('new', 'contacted')", ownerIds.leads)} as open_leads`,
      `${count('opportunities', "stage not in ('won', 'lost')", ownerIds.opportunities)} as open_opportunities`,
      `${count('quotes', 'true', ownerIds.quotes)} as quotes`,
      `${count('orders', 'true', ownerIds.orders)} as orders`,
      `${count('tickets', 'true')} as tickets`,
      `${count('tickets', "status not in ('resolved', 'closed')")} as open_tickets`,
    ];
    const [row] = await this.em.execute<Record<string, string | number>[]>(`select ${select.join(', ')}`, params);
    return {
      openLeads: Number(row?.['open_leads']),
      openOpportunities: Number(row?.['open_opportunities']),
      quotes: Number(row?.['quotes']),
      orders: Number(row?.['orders']),
      tickets: Number(row?.['tickets']),
      openTickets: Number(row?.['open_tickets']),
    };
  }

  toRecord(customer: CustomerEntity): Customer {
    return {
      id: customer.id,
      name: customer.name,
      grade: customer.grade,
      region: customer.region ?? null,
      industry: customer.industry ?? null,
      source: customer.source ?? null,
      discountRate: customer.discountRate,
      locale: customer.locale,
      birthday: customer.birthday ?? null,
      ownerId: customer.owner?.id ?? null,
      purchasedVolume: customer.purchasedVolume,
      createdAt: customer.createdAt.toISOString(),
      updatedAt: customer.updatedAt.toISOString(),
    };
  }

  toContactRecord(contact: ContactEntity): Contact {
    return {
      id: contact.id,
      customerId: contact.customer.id,
      name: contact.name,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      role: contact.role ?? null,
      isPrimary: contact.isPrimary,
      createdAt: contact.createdAt.toISOString(),
    };
  }
}
