import { LockMode, raw, ref, type EntityManager } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';
import { Customer } from '../customers/customer.entity';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { ownerBranches } from '../owner-filter';
import { Lead as LeadEntity } from './lead.entity';
import type { CreateLeadInput, Lead, LeadNote, LeadStatus, LeadSummary, LeadWithNotes } from './lead.schema';

export interface LeadFilters {
  ownerId?: string;
  /** Only records one of these people owns (the reader's scope); undefined: every record. */
  ownerIds?: readonly string[];
  status?: string;
  source?: string;
  region?: string;
  cursor?: string;
  limit?: number;
}

// Company and contact name compare without case and without any whitespace ("ACME  Corp" = "acme corp"):
// the same normalisation as the stored generated column name_key (migration 20261232).
const squash = (text: string) => text.toLowerCase().replace(/\s+/g, '');
const nameKey = (company: string, contactName: string) => `${squash(company)}\n${squash(contactName)}`;
const regionKey = (region: string | null) => (region ?? '').normalize('NFKC').trim().toLowerCase();

// Advisory lock classes (two-key form, so they cannot meet another user's single-key locks):
// a duplicate check locks its keys, an assignment its region.
const DEDUPE_LOCK_CLASS = 7_233_010;
const ASSIGNMENT_LOCK_CLASS = 7_233_011;

/** The leads table: the only reader and writer of leads, for the API and the lead activities alike. */
export class LeadRepository {
  constructor(private readonly em: EntityManager) {}

  find(id: string): Promise<LeadEntity | null> {
    return this.em.findOne(LeadEntity, id);
  }

  /** The lead, locked for this transaction: every writer of a lead takes this lock first. */
  lock(id: string): Promise<LeadEntity | null> {
    return this.em.findOne(LeadEntity, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  async exists(id: string): Promise<boolean> {
    return (await this.em.count(LeadEntity, { id })) > 0;
  }

  list(filters: LeadFilters): Promise<Page<LeadEntity>> {
    const equals = {
      owner_id: filters.ownerId,
      status: filters.status,
      source: filters.source,
      region: filters.region,
    };
    return queryKeysetPage(this.em, {
      entity: LeadEntity,
      table: 'leads',
      orderColumn: 'created_at',
      equals,
      anyOf: ownerBranches(filters.ownerIds),
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /**
   * The id of the oldest lead that is not disqualified with the same e-mail (any case), or the same
   * company and contact name (case and whitespace blind), read from the stored keys' indexes.
   * Call it in the transaction that then creates the lead: it first takes a transaction-scoped
   * advisory lock per key, so two leads sharing a key cannot both pass the check, while leads with
   * different keys never wait for each other. The keys are locked in one order (sorted hashes), so
   * two checks sharing both keys cannot deadlock; a hash collision only makes two leads wait.
   */
  async findDuplicate(input: Pick<CreateLeadInput, 'email' | 'company' | 'contactName'>): Promise<string | null> {
    const email = input.email ? input.email.toLowerCase() : null;
    const name = nameKey(input.company, input.contactName);
    const keys = email === null ? [`name:${name}`] : [`email:${email}`, `name:${name}`];
    await this.em.execute(
      `select pg_advisory_xact_lock(?, k) from (select distinct hashtext(key) as k
         from (values ${keys.map(() => '(?::text)').join(', ')}) as v(key) order by k) as keys`,
      [DEDUPE_LOCK_CLASS, ...keys],
    );
    const rows = await this.em.execute<{ id: string }[]>(
      `select id from (
         (select id, created_at from leads where status <> 'disqualified' and email_key = ?::text order by created_at, id limit 1)
         union all
         (select id, created_at from leads where status <> 'disqualified' and name_key = ? order by created_at, id limit 1)
       ) as matches order by created_at, id limit 1`,
      [email, name],
    );
    return rows[0]?.id ?? null;
  }

  /** A new lead with its own id; `by` wrote the input's note, if any. */
  async create(input: CreateLeadInput, ownerId: string | null, by: string): Promise<LeadEntity> {
    const lead = this.em.create(LeadEntity, {
      id: newCrmId('L'),
      source: input.source,
      company: input.company,
      contactName: input.contactName,
      email: input.email ?? null,
      phone: input.phone ?? null,
      region: input.region ?? null,
      productInterest: input.productInterest ?? null,
      estimatedValueCents: input.estimatedValueCents ?? null,
      owner: ownerId === null ? null : ref(EngineUser, ownerId),
      notes: input.note ? [{ at: new Date().toISOString(), by, text: input.note }] : [],
    });
    await this.em.flush();
    return lead;
  }

  /**
   * Assignments in one region are serialised: two leads assigned at once would otherwise both see
   * a rep's old workload and could push the rep past capacity. A lead only ever goes to a rep of
   * its own region (or to no rep: the manager's queue), so leads of other regions need not wait.
   * Take it while holding the lead's row lock (its region cannot change under it); the region
   * compares as the assignment rule compares it (NFKC, trimmed, any case).
   */
  async serialiseAssignments(region: string | null): Promise<void> {
    await this.em.execute('select pg_advisory_xact_lock(?, hashtext(?))', [ASSIGNMENT_LOCK_CLASS, regionKey(region)]);
  }

  /** Open leads (new or contacted) each of the users owns; users owning none are left out. */
  async countOpenLeads(ownerIds: readonly string[]): Promise<Map<string, number>> {
    if (ownerIds.length === 0) return new Map();
    const rows = await this.em
      .createQueryBuilder(LeadEntity, 'l')
      .select(['l.owner', raw('count(*) as open_leads')])
      .where({ owner: { $in: [...ownerIds] }, status: { $in: ['new', 'contacted'] } })
      .groupBy('l.owner')
      .execute<{ owner_id: string; open_leads: string | number }[]>('all', false);
    return new Map(rows.map((row) => [row.owner_id, Number(row.open_leads)]));
  }

  setOwner(lead: LeadEntity, ownerId: string | null): void {
    lead.owner = ownerId === null ? null : ref(EngineUser, ownerId);
  }

  setStatus(lead: LeadEntity, status: LeadStatus): void {
    lead.status = status;
  }

  /** Marks the lead qualified, converted into the customer. */
  convert(lead: LeadEntity, customerId: string): void {
    lead.status = 'qualified';
    lead.customer = ref(Customer, customerId);
  }

  /** Notes are kept, never rewritten: this one is appended to the lead's history. */
  appendNote(lead: LeadEntity, note: LeadNote): void {
    lead.notes = [...lead.notes, note];
  }

  hasNote(lead: LeadEntity, key: string): boolean {
    return lead.notes.some((note) => note.key === key);
  }

  toRecord(lead: LeadEntity): Lead {
    return {
      id: lead.id,
      source: lead.source,
      company: lead.company,
      contactName: lead.contactName,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      region: lead.region ?? null,
      productInterest: lead.productInterest ?? null,
      estimatedValueCents: lead.estimatedValueCents ?? null,
      status: lead.status,
      ownerId: lead.owner?.id ?? null,
      customerId: lead.customer?.id ?? null,
      createdAt: lead.createdAt.toISOString(),
      updatedAt: lead.updatedAt.toISOString(),
    };
  }

  toRecordWithNotes(lead: LeadEntity): LeadWithNotes {
    return { ...this.toRecord(lead), notes: lead.notes };
  }

  toSummary(lead: LeadEntity): LeadSummary {
    return {
      id: lead.id,
      company: lead.company,
      contactName: lead.contactName,
      email: lead.email ?? null,
      region: lead.region ?? null,
      productInterest: lead.productInterest ?? null,
      estimatedValueCents: lead.estimatedValueCents ?? null,
      status: lead.status,
    };
  }
}
