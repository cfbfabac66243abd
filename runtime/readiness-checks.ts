import type { Connection } from '@temporalio/client';
import type { ReadinessChecks } from '../api/readiness';
import type { Orm } from '../db/orm';

/** What `/readyz` asks of the real dependencies: a round trip to each. */
export function createReadinessChecks(orm: Orm, connection: Connection, namespace: string): ReadinessChecks {
  return {
    database: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    temporal: async () => {
      await connection.workflowService.describeNamespace({ namespace });
    },
  };
}
