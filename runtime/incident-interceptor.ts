import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Orm } from '../db/orm';
import { IncidentRepository } from '../db/repositories';

/**
 * The attempt from which a failing activity is an incident: the first two failures are the
 * ordinary hiccups retries exist for (a restarting SMTP relay, a lock timeout); a third in a row
 * means something needs a person.
 */
export const INCIDENT_AFTER_ATTEMPTS = 3;

/**
 * Records an activity that keeps failing as an incident of its instance (table `process_incident`)
 * and clears it when the activity succeeds. Failures that are not retried (business failures,
 * `nonRetryable`) are not incidents: the step fails and the process handles it. Bookkeeping errors
 * are logged and never change the activity's own outcome.
 */
export function incidentInterceptor(orm: Orm, logger: Pick<Logger, 'warn'>): ActivityInterceptorsFactory {
  const incidents = new IncidentRepository();
  return (ctx: ActivityContext) => ({
    inbound: {
      execute: async (input, next) => {
        const { info } = ctx;
        // Only activities of a workflow (an instance) can be its incident.
        if (!info.workflowExecution) return next(input);
        const instanceId = info.workflowExecution.workflowId;
        const keep = async (what: string, write: () => Promise<unknown>) => {
          try {
            await write();
          } catch (error) {
            logger.warn({ err: error, instanceId, activityId: info.activityId }, `could not ${what} the incident`);
          }
        };
        try {
          const result = await next(input);
          // Only an activity that failed before can have an incident; most succeed first time.
          if (info.attempt >= INCIDENT_AFTER_ATTEMPTS)
            await keep('clear', () => incidents.clear(orm.em.fork(), instanceId, info.activityId));
          return result;
        } catch (error) {
          const retried = !(error instanceof ApplicationFailure && error.nonRetryable);
          if (retried && info.attempt >= INCIDENT_AFTER_ATTEMPTS) {
            await keep('record', () =>
              incidents.record(
                orm.em.fork(),
                {
                  instanceId,
                  activityId: info.activityId,
                  activityType: info.activityType,
                  attempt: info.attempt,
                  message: error instanceof Error ? error.message : String(error),
                },
                new Date(),
              ),
            );
          }
          throw error;
        }
      },
    },
  });
}
