import { MessageStore } from '../runtime/smtp-sink/message-store';
import type { Sql } from './sql';
import { TEMPLATE_OF, type AcceptedCreate, type RecordKind } from './workload';

export interface AuditResult {
  findings: string[];
  outcomes: {
    instances: Record<string, Record<string, number>>;
    records: Record<RecordKind, Record<string, number>>;
    tasks: Record<string, number>;
    mail: { outbox: Record<string, number>; sinkMessages: number; visibleResends: number };
  };
}

const TABLE: Record<RecordKind, string> = { lead: 'leads', order: 'orders', ticket: 'tickets', quote: 'quotes' };
const FINAL_STATUS: Record<RecordKind, string[]> = {
  lead: ['qualified'],
  order: ['delivered'],
  ticket: ['closed'],
  quote: ['approved', 'accepted'],
};
/** The mail each record's process sends first (a quote's owner is mailed only when it has one). */
const FIRST_MAIL: Record<RecordKind, string | null> = {
  lead: 'lead-assigned:',
  order: 'order-confirmed:',
  ticket: 'ticket-received:',
  quote: null,
};

const ids = (list: string[]): string => JSON.stringify(list);
const IN_IDS = 'in (select jsonb_array_elements_text(?::jsonb))';

/**
 * What the run left behind, read from the database and the SMTP sink's folder: every accepted
 * create present once and in its final state, every instance completed once, no task, stock
 * reservation, shipment note, purchase request or mail twice, nothing left open.
 */
export async function auditRun(sql: Sql, mailDir: string, accepted: AcceptedCreate[]): Promise<AuditResult> {
  const findings: string[] = [];
  const records = { lead: {}, order: {}, ticket: {}, quote: {} } as Record<RecordKind, Record<string, number>>;

  for (const kind of ['lead', 'order', 'ticket', 'quote'] as const) {
    const mine = accepted.filter((a) => a.kind === kind);
    const wanted = mine.map((a) => a.recordId);
    if (new Set(wanted).size !== wanted.length)
      findings.push(`duplicated: two accepted ${kind} creates answered one record`);
    const rows = await sql<{ id: string; status: string }>(`select id, status from ${TABLE[kind]} where id ${IN_IDS}`, [
      ids(wanted),
    ]);
    for (const row of rows) records[kind][row.status] = (records[kind][row.status] ?? 0) + 1;
    const found = new Set(rows.map((r) => r.id));
    for (const id of wanted)
      if (!found.has(id)) findings.push(`lost: ${kind} ${id} was accepted and is not in ${TABLE[kind]}`);
    for (const row of rows)
      if (!FINAL_STATUS[kind].includes(row.status))
        findings.push(`stuck: ${kind} ${row.id} is ${row.status}, not ${FINAL_STATUS[kind].join(' or ')}`);
    const instances = await sql<{ business_key: string; n: string }>(
      `select business_key, count(*) as n from process_instance where business_key ${IN_IDS} and template_key = ? group by business_key`,
      [ids(wanted), TEMPLATE_OF[kind]],
    );
    const started = new Map(instances.map((r) => [r.business_key, Number(r.n)]));
    for (const id of wanted) {
      const n = started.get(id) ?? 0;
      if (n !== 1)
        findings.push(`${n === 0 ? 'lost' : 'duplicated'}: ${kind} ${id} has ${n} ${TEMPLATE_OF[kind]} instances`);
    }
    const firstMail = FIRST_MAIL[kind];
    if (firstMail === null) continue;
    const mails = await sql<{ idempotency_key: string }>(
      `select idempotency_key from mail_outbox where idempotency_key in (select ? || jsonb_array_elements_text(?::jsonb))`,
      [firstMail, ids(wanted)],
    );
    const mailed = new Set(mails.map((m) => m.idempotency_key));
    for (const id of wanted)
      if (!mailed.has(`${firstMail}${id}`)) findings.push(`lost: no ${firstMail}${id} mail in the outbox`);
  }
  // Creates the run did not get an answer for may still have committed: each is one record at most.
  const leadsTwice = await sql<{ company: string }>(
    `select company from leads where company like 'chaos-%' group by company having count(*) > 1`,
  );
  for (const row of leadsTwice) findings.push(`duplicated: lead ${row.company} created more than once`);
  const ticketsTwice = await sql<{ subject: string }>(
    `select subject from tickets where subject like 'chaos-%' group by subject having count(*) > 1`,
  );
  for (const row of ticketsTwice) findings.push(`duplicated: ticket ${row.subject} created more than once`);

  const instanceRows = await sql<{ template_key: string; status: string; n: string }>(
    `select template_key, status, count(*) as n from process_instance group by 1, 2 order by 1, 2`,
  );
  const instances: Record<string, Record<string, number>> = {};
  for (const row of instanceRows) {
    (instances[row.template_key] ??= {})[row.status] = Number(row.n);
    if (row.status !== 'completed') findings.push(`stuck: ${row.n} ${row.template_key} instances are ${row.status}`);
  }
  const incidents = await sql<{ instance_id: string; message: string }>(
    `select instance_id, message from process_incident`,
  );
  for (const row of incidents)
    findings.push(`stuck: instance ${row.instance_id} has an incident: ${row.message.slice(0, 200)}`);

  const taskRows = await sql<{ status: string; n: string }>(`select status, count(*) as n from task group by 1`);
  const tasks = Object.fromEntries(taskRows.map((r) => [r.status, Number(r.n)]));
  if (tasks.open) findings.push(`stuck: ${tasks.open} tasks still open`);
  const twiceTasks = await sql<{ instance_id: string; step_id: string; n: string }>(
    `select instance_id, step_id, count(*) as n from task group by 1, 2 having count(*) > 1`,
  );
  for (const row of twiceTasks)
    findings.push(`duplicated: ${row.n} ${row.step_id} tasks in instance ${row.instance_id}`);

  // The orders of the run: those posted, and those approved quotes became (one per quote).
  const quoteIds = accepted.filter((a) => a.kind === 'quote').map((a) => a.recordId);
  const quoteOrders = await sql<{ id: string; quote_id: string; status: string }>(
    `select id, quote_id, status from orders where quote_id ${IN_IDS}`,
    [ids(quoteIds)],
  );
  for (const quoteId of quoteIds) {
    const made = quoteOrders.filter((o) => o.quote_id === quoteId);
    if (made.length !== 1)
      findings.push(`${made.length === 0 ? 'lost' : 'duplicated'}: quote ${quoteId} became ${made.length} orders`);
  }
  for (const order of quoteOrders)
    if (order.status !== 'delivered')
      findings.push(`stuck: order ${order.id} (of quote ${order.quote_id}) is ${order.status}`);
  const runOrders = ids([
    ...accepted.filter((a) => a.kind === 'order').map((a) => a.recordId),
    ...quoteOrders.map((o) => o.id),
  ]);
  const overReserved = await sql<{ order_id: string; line_no: number; reserved: string; quantity: number }>(
    `select l.order_id, l.line_no, coalesce(sum(r.quantity), 0) as reserved, l.quantity
     from order_lines l left join stock_reservations r on r.order_line_id = l.id and r.status <> 'released'
     where l.order_id ${IN_IDS} group by l.id, l.order_id, l.line_no, l.quantity
     having coalesce(sum(r.quantity), 0) <> l.quantity`,
    [runOrders],
  );
  for (const row of overReserved)
    findings.push(
      `${Number(row.reserved) > row.quantity ? 'duplicated' : 'lost'}: order ${row.order_id} line ${row.line_no} has ${row.reserved} reserved for ${row.quantity} ordered`,
    );
  for (const table of ['shipment_notes', 'purchase_requests']) {
    // Keys are per order (`final:<warehouse>`).
    const twice = await sql<{ order_id: string; idempotency_key: string; n: string }>(
      `select order_id, idempotency_key, count(*) as n from ${table} group by 1, 2 having count(*) > 1`,
    );
    for (const row of twice)
      findings.push(`duplicated: ${row.n} ${table} rows for ${row.idempotency_key} of order ${row.order_id}`);
  }
  const unshipped = await sql<{ id: string }>(
    `select o.id from orders o where o.id ${IN_IDS} and not exists (select 1 from shipment_notes n where n.order_id = o.id)`,
    [runOrders],
  );
  for (const row of unshipped) findings.push(`lost: order ${row.id} has no shipment note`);

  const pendingEvents = await sql<{ n: string }>(`select count(*) as n from process_event where dispatched_at is null`);
  if (Number(pendingEvents[0]?.n ?? 0) > 0)
    findings.push(`stuck: ${pendingEvents[0]!.n} trigger events never dispatched`);

  const mail = await auditMail(sql, mailDir, findings);
  return { findings, outcomes: { instances, records, tasks, mail } };
}

/**
 * Every outbox row sent and in the sink; a Message-ID the sink holds twice is a duplicate unless
 * the outbox said it might be (a send cut off after the relay stored it: visible and counted).
 */
async function auditMail(sql: Sql, mailDir: string, findings: string[]): Promise<AuditResult['outcomes']['mail']> {
  const rows = await sql<{ idempotency_key: string; status: string; message_id: string; possible_duplicate: boolean }>(
    `select idempotency_key, status, message_id, possible_duplicate from mail_outbox`,
  );
  const outbox: Record<string, number> = {};
  for (const row of rows) outbox[row.status] = (outbox[row.status] ?? 0) + 1;
  const messages = await new MessageStore(mailDir).list();
  const bare = (id: string | null): string => (id ?? '').replace(/^<|>$/g, '');
  const received = new Map<string, number>();
  for (const m of messages) received.set(bare(m.messageId), (received.get(bare(m.messageId)) ?? 0) + 1);
  let visibleResends = 0;
  for (const row of rows) {
    const n = received.get(bare(row.message_id)) ?? 0;
    if (row.status !== 'sent') findings.push(`stuck: mail ${row.idempotency_key} is ${row.status}`);
    else if (n === 0) findings.push(`lost: mail ${row.idempotency_key} is sent but not in the sink`);
    if (n > 1 && row.possible_duplicate) visibleResends++;
    else if (n > 1)
      findings.push(`duplicated: mail ${row.idempotency_key} received ${n} times, not marked possible_duplicate`);
  }
  return { outbox, sinkMessages: messages.length, visibleResends };
}
