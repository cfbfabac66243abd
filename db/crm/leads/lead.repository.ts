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

// Company and contact name compare without case and without any whitespace ("ACME  Corp" = "acme corp").
const SQUASH = (column: string) => `regexp_replace(lower(${column}), '\\s+', '', 'g')`;
const squash = (text: string) => text.toLowerCase().replace(/\s+/g, '');

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
   * company and contact name. Raw SQL: the whitespace-blind comparison is a regexp on the columns,
   * and the transaction-scoped advisory lock taken first makes two identical leads posted at once
   * unable to both pass this check (call it in the transaction that then creates the lead).
   */
  async findDuplicate(input: Pick<CreateLeadInput, 'email' | 'company' | 'contactName'>): Promise<string | null> {
    await this.em.execute(`select pg_advisory_xact_lock(hashtext('crm.lead-dedupe'))`);
    const rows = await this.em.execute<{ id: string }[]>(
      `select id from leads where status <> 'disqualified'
         and ((?::text is not null and lower(email) = lower(?::text))
           or (${SQUASH('company')} = ? and ${SQUASH('contact_name')} = ?))
       order by created_at, id limit 1`,
      [input.email ?? null, input.email ?? null, squash(input.company), squash(input.contactName)],
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
   * Assignment is serialised: two leads assigned at once would otherwise both see a rep's old
   * workload and could push the rep past capacity. Assigning is rare and quick, so one
   * transaction-scoped advisory lock (raw SQL: the ORM has no advisory locks) is enough.
   */
  async serialiseAssignments(): Promise<void> {
    await this.em.execute(`select pg_advisory_xact_lock(hashtext('crm.lead-assignment'))`);
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
