import { expect } from '@jest/globals';
import type { CrmHarness } from '../../../support/crm-harness';
import { ADMIN_KEY, createUser, inbox, json, until, type InboxTask, type TestUser } from './crm-fixtures';

/*
 * What the quote-approval and order-fulfilment tests share: the sales team of one test, posting
 * quotes and orders as a rep, and reading back quotes, orders, instances and task rows.
 */

export interface StartedProcess {
  templateKey: string;
  instanceId: string;
}

export interface QuoteLineView {
  lineNo: number;
  productId: string;
  quantity: number;
  listPriceCents: number;
  unitPriceCents: number;
  discountCents: number;
  lineTotalCents: number;
}
export interface QuoteVersionView {
  version: number;
  listTotalCents: number;
  totalCents: number;
  discountPercent: number;
  changeReason: string | null;
  lines: QuoteLineView[];
}
export interface QuoteView {
  id: string;
  status: string;
  ownerId: string | null;
  currentVersion: number;
  versions: QuoteVersionView[];
}

export interface OrderView {
  id: string;
  status: string;
  quoteId: string | null;
  ownerId: string | null;
  totalCents: number;
  lines: { lineNo: number; productId: string; quantity: number; unitPriceCents: number; shippedQuantity: number }[];
  reservations: { lineNo: number; productId: string; warehouseId: string; quantity: number; status: string }[];
  shipmentNotes: {
    id: string;
    warehouseId: string;
    lines: { lineNo: number; productId: string; quantity: number }[];
  }[];
  purchaseRequests: { id: string; productId: string; supplierId: string | null; quantity: number; status: string }[];
}

export interface InstanceView {
  id: string;
  templateKey: string;
  version: number;
  businessKey: string | null;
  status: string;
}

/** A rep who owns what they post, and one approver per approving role; each with a key of their own. */
export interface SalesTeam {
  rep: TestUser;
  manager: TestUser;
  finance: TestUser;
  director: TestUser;
}

export async function createSalesTeam(h: CrmHarness): Promise<SalesTeam> {
  const [rep, manager, finance, director] = await Promise.all([
    createUser(h, { roles: ['sales-rep'] }),
    createUser(h, { roles: ['sales-manager'] }),
    createUser(h, { roles: ['finance'] }),
    createUser(h, { roles: ['director'] }),
  ]);
  return { rep: rep!, manager: manager!, finance: finance!, director: director! };
}

export function processOf(processes: StartedProcess[], templateKey: string): string {
  const found = processes.find((p) => p.templateKey === templateKey);
  if (!found) throw new Error(`no ${templateKey} process in ${JSON.stringify(processes)}`);
  return found.instanceId;
}

export async function postQuote(
  h: CrmHarness,
  apiKey: string,
  body: Record<string, unknown>,
): Promise<{ quote: QuoteView; instanceId: string }> {
  const created = json<{ quote: QuoteView; processes: StartedProcess[] }>(
    await h.call(apiKey, { method: 'POST', url: '/api/v1/quotes', payload: body }),
    201,
  );
  return { quote: created.quote, instanceId: processOf(created.processes, 'quote-approval') };
}

export async function postOrder(
  h: CrmHarness,
  apiKey: string,
  body: Record<string, unknown>,
): Promise<{ order: OrderView; instanceId: string }> {
  const created = json<{ order: OrderView; processes: StartedProcess[] }>(
    await h.call(apiKey, { method: 'POST', url: '/api/v1/orders', payload: body }),
    201,
  );
  return { order: created.order, instanceId: processOf(created.processes, 'order-fulfilment') };
}

export async function getQuote(h: CrmHarness, id: string): Promise<QuoteView> {
  return json<QuoteView>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/quotes/${encodeURIComponent(id)}` }),
    200,
  );
}

export async function getOrder(h: CrmHarness, id: string): Promise<OrderView> {
  return json<OrderView>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/orders/${encodeURIComponent(id)}` }),
    200,
  );
}

export async function getInstance(h: CrmHarness, id: string): Promise<InstanceView> {
  return json<InstanceView>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances/${encodeURIComponent(id)}` }),
    200,
  );
}

/** The instances of a template for one business key, as the instance list shows them. */
export async function instancesFor(h: CrmHarness, templateKey: string, businessKey: string): Promise<InstanceView[]> {
  const query = `template=${encodeURIComponent(templateKey)}&businessKey=${encodeURIComponent(businessKey)}`;
  return json<{ items: InstanceView[] }>(
    await h.call(ADMIN_KEY, { method: 'GET', url: `/api/v1/instances?${query}` }),
    200,
  ).items;
}

export async function waitForStatus(
  h: CrmHarness,
  instanceId: string,
  status: string,
  timeoutMs = 30_000,
): Promise<void> {
  await until(async () => expect((await getInstance(h, instanceId)).status).toBe(status), timeoutMs);
}

/** Waits until exactly `count` tasks of the instance are open in this user's inbox. */
export async function waitForInbox(
  h: CrmHarness,
  user: TestUser,
  instanceId: string,
  count = 1,
  timeoutMs = 30_000,
): Promise<InboxTask[]> {
  return until(async () => {
    const open = await inbox(h, user.apiKey, instanceId);
    expect(open).toHaveLength(count);
    return open;
  }, timeoutMs);
}

export interface TaskRow {
  id: string;
  step_id: string;
  title: string;
  assignee: string | null;
  candidate_role: string | null;
  status: string;
  outcome: string | null;
  completed_by: string | null;
  createdAt: number;
  completedAt: number | null;
}

/** Every task the instance opened, in the order it opened them. */
export async function taskRows(h: CrmHarness, instanceId: string): Promise<TaskRow[]> {
  const rows = await h.sql<
    Omit<TaskRow, 'createdAt' | 'completedAt'> & { created_at: string | Date; completed_at: string | Date | null }
  >(
    `select id, step_id, title, assignee, candidate_role, status, outcome, completed_by, created_at, completed_at
     from task where instance_id = ? order by created_at, id`,
    [instanceId],
  );
  return rows.map(({ created_at: createdAt, completed_at: completedAt, ...row }) => ({
    ...row,
    createdAt: new Date(createdAt).getTime(),
    completedAt: completedAt === null ? null : new Date(completedAt).getTime(),
  }));
}

/** Waits until the instance has started the step `stepId` (from its projected timeline). */
export async function waitForStepStarted(
  h: CrmHarness,
  instanceId: string,
  stepId: string,
  timeoutMs = 30_000,
): Promise<void> {
  await until(async () => {
    const started = await h.sql(
      `select seq from timeline_entry where instance_id = ? and type = 'step.started' and step_id = ?`,
      [instanceId, stepId],
    );
    expect(started.length).toBeGreaterThan(0);
  }, timeoutMs);
}
