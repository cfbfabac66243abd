import type { Sql } from './sql';
import { createIdempotently } from './api-caller';

export const ADMIN_KEY = 'demo-admin-key';
export type RecordKind = 'lead' | 'order' | 'ticket' | 'quote';

/** A create the API accepted: the record, and the process it started. */
export interface AcceptedCreate {
  kind: RecordKind;
  index: number;
  idempotencyKey: string;
  recordId: string;
  instanceId: string | null;
  attempts: number;
  /** Statuses answered before the accepting one (503 expected in an outage; 500 is a finding). */
  transientStatuses: number[];
}

export interface RejectedCreate {
  kind: RecordKind;
  index: number;
  status: number;
  body: unknown;
}

const KINDS: RecordKind[] = ['lead', 'order', 'ticket', 'quote'];
export const TEMPLATE_OF: Record<RecordKind, string> = {
  lead: 'lead-assignment',
  order: 'order-fulfilment',
  ticket: 'ticket-escalation',
  quote: 'quote-approval',
};

/** The demo company's customers a mail can reach: orders and tickets are theirs. */
export async function customersWithEmail(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    `select distinct c.id from customers c join contacts ct on ct.customer_id = c.id
     where ct.email is not null and ct.is_primary order by c.id`,
  );
  return rows.map((r) => r.id);
}

/**
 * Posts `burst` creates of the built-in processes' records (leads, in-stock orders, tickets and
 * quotes in turn), spread over `spreadMs`, at most `concurrency` at a time, each with an Idempotency-Key of its own and sent again with
 * it until answered for good.
 */
export async function postBurst(options: {
  apiUrl: string;
  runId: string;
  burst: number;
  concurrency: number;
  customers: string[];
  /** The creates are spread evenly over this long, so faults find some of them in flight. */
  spreadMs: number;
  deadline: number;
}): Promise<{ accepted: AcceptedCreate[]; rejected: RejectedCreate[] }> {
  const accepted: AcceptedCreate[] = [];
  const rejected: RejectedCreate[] = [];
  const began = Date.now();
  let next = 0;
  const post = async (index: number): Promise<void> => {
    const due = began + (index * options.spreadMs) / options.burst - Date.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    const kind = KINDS[index % KINDS.length]!;
    const customerId = options.customers[index % options.customers.length]!;
    const name = `chaos-${options.runId}-${index}`;
    const [url, body] =
      kind === 'lead'
        ? [
            '/api/v1/leads',
            {
              source: 'web',
              company: name,
              contactName: 'Chaos Contact',
              email: `${name}@lead.test`,
              region: 'east',
              productInterest: 'erp',
              estimatedValueCents: 100_000,
            },
          ]
        : kind === 'order'
          ? ['/api/v1/orders', { customerId, lines: [{ productId: 'P-ERP-STD', quantity: 1 }] }]
          : kind === 'quote'
            ? // Approved, it becomes an order of its own, which then runs order-fulfilment too.
              ['/api/v1/quotes', { customerId, lines: [{ productId: 'P-ERP-STD', quantity: 2 }] }]
            : ['/api/v1/tickets', { customerId, subject: name, body: 'The export is slow since the update.' }];
    const idempotencyKey = `${name}-${kind}`;
    const transientStatuses: number[] = [];
    const answer = await createIdempotently<
      Record<string, { id: string } | { templateKey: string; instanceId: string }[]>
    >(options.apiUrl, ADMIN_KEY, url, body, idempotencyKey, options.deadline, (status) =>
      transientStatuses.push(status),
    );
    if (answer.status !== 201 && answer.status !== 200) {
      rejected.push({ kind, index, status: answer.status, body: answer.body });
      return;
    }
    const record = answer.body[kind] as { id: string };
    const processes = answer.body.processes as { templateKey: string; instanceId: string }[];
    accepted.push({
      kind,
      index,
      idempotencyKey,
      recordId: record.id,
      instanceId: processes.find((p) => p.templateKey === TEMPLATE_OF[kind])?.instanceId ?? null,
      attempts: answer.attempts,
      transientStatuses,
    });
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency) }, async () => {
      while (next < options.burst) await post(next++);
    }),
  );
  return { accepted, rejected };
}
