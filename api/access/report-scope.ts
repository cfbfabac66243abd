import { hasRight } from '../../contracts/roles';
import type { ReportCondition, ReportRecords } from '../../db/reports';
import { visibleCondition } from '../../db/repositories/inbox-scope';
import type { EngineContext } from '../engine-deps';
import type { Principal } from '../principal';
import { ownerIdsOf, scopeOf } from './owned-records';

/**
 * What a report may count for a reader: exactly the records the reader may list. Owned sales
 * records (leads, opportunities, quotes, orders) by their owner scope (own, team's, all:
 * record-scope.ts); tickets and surveys wholly (every holder of their read right lists every
 * one); tasks as the inbox shows them (assigned to, completed by, or open in a queue of the
 * reader), every task with tasks.see-all.
 */
export interface ReportScope {
  /** The owners whose records count; undefined for every record. */
  ownerIds?: readonly string[];
  visible: ReportCondition;
}

const EVERYTHING: ReportCondition = { sql: 'true', params: [] };

export async function reportScopeOf(
  ctx: EngineContext,
  principal: Principal,
  records: ReportRecords,
): Promise<ReportScope> {
  switch (records) {
    case 'leads':
    case 'opportunities':
    case 'quotes':
    case 'orders': {
      const ownerIds = ownerIdsOf(await scopeOf(ctx, principal, records));
      return ownerIds === undefined ? { visible: EVERYTHING } : { ownerIds, visible: EVERYTHING };
    }
    case 'tickets':
    case 'surveys':
      return { visible: EVERYTHING };
    case 'tasks':
      if (hasRight(principal.roles, 'tasks.see-all')) return { visible: EVERYTHING };
      return {
        visible: visibleCondition({ id: principal.userId, roles: principal.roles, attributes: principal.attributes }),
      };
  }
}
