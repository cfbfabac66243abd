import { LockMode, ref, type EntityManager } from '@mikro-orm/postgresql';
import { EngineUser } from '../../users/user.entity';
import { Customer } from '../customers/customer.entity';
import { queryKeysetPage } from '../../repositories/keyset-page';
import type { Page } from '../../repositories/page-cursor';
import { newCrmId } from '../crm-id';
import { ownerCondition } from '../owner-filter';
import { Lead, Opportunity as OpportunityEntity } from './lead.entity';
import type { Opportunity, OpportunityStage } from './lead.schema';

/** The win probability a stage implies when the caller does not give one. */
export const PROBABILITY_BY_STAGE: Record<OpportunityStage, number> = {
  prospecting: 10,
  qualification: 20,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
};

export interface OpportunityFilters {
  stage?: string;
  customerId?: string;
  ownerId?: string;
  /** Only records one of these people owns (the reader's scope); undefined: every record. */
  ownerIds?: readonly string[];
  cursor?: string;
  limit?: number;
}

export interface NewOpportunity {
  customerId: string;
  leadId?: string | null;
  name?: string | null;
  /** Default prospecting. */
  stage?: OpportunityStage;
  /** Default: the stage's probability. */
  probability?: number;
  amountCents?: number;
  ownerId: string | null;
  expectedCloseDate?: string | null;
}

/** The opportunities table: the only reader and writer of opportunities. */
export class OpportunityRepository {
  constructor(private readonly em: EntityManager) {}

  find(id: string): Promise<OpportunityEntity | null> {
    return this.em.findOne(OpportunityEntity, id);
  }

  /** The opportunity, locked for this transaction (a change checks who may make it under this lock). */
  lock(id: string): Promise<OpportunityEntity | null> {
    return this.em.findOne(OpportunityEntity, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  list(filters: OpportunityFilters): Promise<Page<OpportunityEntity>> {
    const equals = { stage: filters.stage, customer_id: filters.customerId, owner_id: filters.ownerId };
    const owners = ownerCondition(filters.ownerIds);
    return queryKeysetPage(this.em, {
      entity: OpportunityEntity,
      table: 'opportunities',
      orderColumn: 'created_at',
      equals,
      where: [owners.sql],
      params: owners.params,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /** The first opportunity a lead was converted into. */
  findFirstOfLead(leadId: string): Promise<OpportunityEntity | null> {
    return this.em.findOne(OpportunityEntity, { lead: leadId }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** A new opportunity with its own id. */
  async create(fields: NewOpportunity): Promise<OpportunityEntity> {
    const stage = fields.stage ?? 'prospecting';
    const opportunity = this.em.create(OpportunityEntity, {
      id: newCrmId('OP'),
      customer: ref(Customer, fields.customerId),
      lead: fields.leadId == null ? null : ref(Lead, fields.leadId),
      name: fields.name ?? null,
      stage,
      probability: fields.probability ?? PROBABILITY_BY_STAGE[stage],
      amountCents: fields.amountCents ?? 0,
      owner: fields.ownerId === null ? null : ref(EngineUser, fields.ownerId),
      expectedCloseDate: fields.expectedCloseDate ?? null,
    });
    await this.em.flush();
    return opportunity;
  }

  /** Moves the opportunity to the stage, with the given probability or the stage's; null if there is none. */
  async moveToStage(
    id: string,
    stage: OpportunityStage,
    probability: number | undefined,
  ): Promise<OpportunityEntity | null> {
    const opportunity = await this.find(id);
    if (!opportunity) return null;
    opportunity.stage = stage;
    opportunity.probability = probability ?? PROBABILITY_BY_STAGE[stage];
    await this.em.flush();
    return opportunity;
  }

  toRecord(opportunity: OpportunityEntity): Opportunity {
    return {
      id: opportunity.id,
      customerId: opportunity.customer.id,
      leadId: opportunity.lead?.id ?? null,
      name: opportunity.name ?? null,
      stage: opportunity.stage,
      probability: opportunity.probability,
      amountCents: opportunity.amountCents,
      ownerId: opportunity.owner?.id ?? null,
      expectedCloseDate: opportunity.expectedCloseDate ?? null,
      createdAt: opportunity.createdAt.toISOString(),
      updatedAt: opportunity.updatedAt.toISOString(),
    };
  }
}
