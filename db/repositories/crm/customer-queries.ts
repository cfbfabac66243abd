import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContactFields, CreateCustomerInput, UpdateCustomerInput } from '../../crm-schemas';
import type { Page } from '../page-cursor';
import { queryRowPage, Where, type Row } from './row-page';
import { iso, isoDay, num, one, str } from './row-values';

export function toCustomer(row: Row) {
  return {
    id: String(row['id']), name: String(row['name']), grade: String(row['grade']), region: str(row['region']),
    industry: str(row['industry']), source: str(row['source']), discountRate: num(row['discount_rate']),
    locale: String(row['locale']), birthday: isoDay(row['birthday']), ownerId: str(row['owner_id']),
    purchasedVolume: num(row['purchased_volume']), createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']),
  };
}

export function toContact(row: Row) {
  return {
    id: String(row['id']), customerId: String(row['customer_id']), name: String(row['name']), email: str(row['email']),
    phone: str(row['phone']), role: str(row['role']), isPrimary: Boolean(row['is_primary']), createdAt: iso(row['created_at']),
  };
}

export interface CustomerFilters { grade?: string; region?: string; ownerId?: string; name?: string; cursor?: string; limit?: number }

export function listCustomers(em: EntityManager, f: CustomerFilters): Promise<Page<Row>> {
  const where = new Where().maybe(f.grade, 't.grade = ?').maybe(f.region, 't.region = ?').maybe(f.ownerId, 't.owner_id = ?')
    .maybe(f.name === undefined ? undefined : `%${f.name.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`, 'lower(t.name) like ?');
  return queryRowPage(em, { from: 'customers', where, cursor: f.cursor, limit: f.limit });
}

export function getCustomer(em: EntityManager, id: string): Promise<Row | null> {
  return one(em.execute<Row[]>('select * from customers where id = ?', [id]));
}

export function listContacts(em: EntityManager, customerId: string): Promise<Row[]> {
  return em.execute<Row[]>('select * from contacts where customer_id = ? order by is_primary desc, created_at, id', [customerId]);
}

/** The counts of the 360° view: what is open and what happened with this customer. */
export async function customerCounts(em: EntityManager, id: string) {
  const [row] = await em.execute<Row[]>(
    `select
       (select count(*) from leads where customer_id = ? and status in ('new', 'contacted')) as open_leads,
       (select count(*) from opportunities where customer_id = ? and stage not in ('won', 'lost')) as open_opportunities,
       (select count(*) from quotes where customer_id = ?) as quotes,
       (select count(*) from orders where customer_id = ?) as orders,
       (select count(*) from tickets where customer_id = ?) as tickets,
       (select count(*) from tickets where customer_id = ? and status not in ('resolved', 'closed')) as open_tickets`,
    [id, id, id, id, id, id],
  );
  return {
    openLeads: num(row?.['open_leads']), openOpportunities: num(row?.['open_opportunities']), quotes: num(row?.['quotes']),
    orders: num(row?.['orders']), tickets: num(row?.['tickets']), openTickets: num(row?.['open_tickets']),
  };
}

export async function insertCustomer(em: EntityManager, id: string, input: CreateCustomerInput): Promise<Row> {
  const rows = await em.execute<Row[]>(
    `insert into customers (id, name, grade, region, industry, source, discount_rate, locale, birthday, owner_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::date, ?) returning *`,
    [id, input.name, input.grade ?? 'C', input.region ?? null, input.industry ?? null, input.source ?? null,
      input.discountRate ?? 0, input.locale ?? 'zh-CN', input.birthday ?? null, input.ownerId ?? null],
  );
  return rows[0]!;
}

export async function insertContact(em: EntityManager, id: string, customerId: string, input: ContactFields): Promise<Row> {
  if (input.isPrimary) await em.execute('update contacts set is_primary = false where customer_id = ? and is_primary', [customerId]);
  const rows = await em.execute<Row[]>(
    `insert into contacts (id, customer_id, name, email, phone, role, is_primary) values (?, ?, ?, ?, ?, ?, ?) returning *`,
    [id, customerId, input.name, input.email ?? null, input.phone ?? null, input.role ?? null, input.isPrimary ?? false],
  );
  return rows[0]!;
}

export function updateCustomer(em: EntityManager, id: string, input: UpdateCustomerInput): Promise<Row | null> {
  return one(em.execute<Row[]>(
    `update customers set name = coalesce(?, name), grade = coalesce(?, grade), region = coalesce(?, region),
       industry = coalesce(?, industry), discount_rate = coalesce(?, discount_rate), locale = coalesce(?, locale),
       birthday = coalesce(?::date, birthday), owner_id = coalesce(?, owner_id), updated_at = now()
     where id = ? returning *`,
    [input.name ?? null, input.grade ?? null, input.region ?? null, input.industry ?? null, input.discountRate ?? null,
      input.locale ?? null, input.birthday ?? null, input.ownerId ?? null, id],
  ));
}
