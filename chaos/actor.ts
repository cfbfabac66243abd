import type { Sql } from './sql';
import { callApi } from './api-caller';
import { ADMIN_KEY } from './workload';

/** The outcome (and form) the demo people give each built-in task, so every process runs to its end. */
const DECISIONS: Record<string, { outcome: string; form: Record<string, unknown> }> = {
  followUp: { outcome: 'qualified', form: { note: 'Qualified in the chaos run' } },
  respond: { outcome: 'responded', form: {} },
  resolve: { outcome: 'resolved', form: { resolution: 'Fixed in the chaos run.' } },
  agreePartial: { outcome: 'shipAvailableNow', form: {} },
  stockOverdue: { outcome: 'keepWaiting', form: {} },
  deliveryUnconfirmed: { outcome: 'delivered', form: {} },
  sequentialApproval: { outcome: 'approve', form: {} },
  parallelApproval: { outcome: 'approve', form: {} },
};

export interface ActorCounts {
  tasksCompleted: number;
  deliveriesConfirmed: number;
  ticketsConfirmed: number;
  surveysAnswered: number;
  /** Calls that failed (the API or database down): tried again next round. */
  failedCalls: number;
}

interface Question {
  id: string;
  kind: string;
  options?: string[];
}

/**
 * One round of what the people and customers of the built-in processes do: complete every open
 * task, confirm the delivery of every shipped order and the solution of every resolved ticket,
 * answer every survey invitation. Work is found by SQL and done through the HTTP API as the demo
 * administrator; what fails (an outage) is simply found again next round.
 */
export async function actOnce(sql: Sql, apiUrl: string, counts: ActorCounts): Promise<void> {
  const call = async (method: string, url: string, body: unknown, ok: number[]): Promise<unknown> => {
    const answer = await callApi(apiUrl, ADMIN_KEY, method, url, body);
    if (!ok.includes(answer.status)) {
      counts.failedCalls++;
      return undefined;
    }
    return answer.body;
  };

  const tasks = await sql<{ id: string; step_id: string; outcomes: string[] }>(
    `select id, step_id, outcomes from task where status = 'open' order by created_at limit 200`,
  );
  for (const task of tasks) {
    const decision = DECISIONS[task.step_id] ?? { outcome: task.outcomes[0]!, form: {} };
    if (await call('POST', `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`, decision, [200]))
      counts.tasksCompleted++;
  }

  const shipped = await sql<{ id: string }>(`select id from orders where status = 'shipped' limit 200`);
  for (const order of shipped) {
    const url = `/api/v1/orders/${encodeURIComponent(order.id)}/delivery-confirmation`;
    if (await call('POST', url, undefined, [202])) counts.deliveriesConfirmed++;
  }

  // Confirmed only once the process waits for it, as a customer reading the resolution mail would.
  const resolved = await sql<{ id: string }>(
    `select t.id from tickets t
     where t.status = 'resolved'
       and exists (select 1 from process_instance i join timeline_entry e on e.instance_id = i.id
                   where i.business_key = t.id and i.status = 'running'
                     and e.type = 'step.started' and e.step_id = 'confirmEvent')
     limit 200`,
  );
  for (const ticket of resolved) {
    if (await call('POST', `/api/v1/tickets/${encodeURIComponent(ticket.id)}/confirm`, undefined, [202]))
      counts.ticketsConfirmed++;
  }

  const invited = await sql<{ id: string }>(
    `select id from survey_invitations where status in ('sent', 'reminded') limit 200`,
  );
  for (const invitation of invited) {
    const url = `/api/v1/survey-invitations/${encodeURIComponent(invitation.id)}`;
    const view = (await call('GET', url, undefined, [200])) as { survey: { questions: Question[] } } | undefined;
    if (!view) continue;
    // Satisfied customers: a low score would open a follow-up ticket, a process of its own.
    const answers = Object.fromEntries(
      view.survey.questions.map((q) => [
        q.id,
        q.kind === 'rating' ? 5 : q.kind === 'text' ? 'Fine.' : q.kind === 'single' ? q.options![0] : [q.options![0]],
      ]),
    );
    if (await call('POST', `${url}/responses`, { answers }, [201])) counts.surveysAnswered++;
  }
}
