import type { Orm } from '../../db/orm';
import { recordChange } from '../../db/repositories/audit-log';

/**
 * Records an action a caller took through the API whose change is made elsewhere: by an
 * instance's workflow (a task claimed, completed or delegated through an Update; an event
 * signalled; an instance started), where the entries name the process. This one, written once
 * Temporal has accepted the action, names the caller and where the request came from (the
 * request's audit context).
 */
export async function recordApiAction(
  orm: Orm,
  action: string,
  subject: string,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await recordChange(orm.em.fork(), { action, subject, after: detail });
}
