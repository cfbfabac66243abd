import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { LightMyRequestResponse } from 'fastify';
import { insertTestApiKey } from '../../../support/test-auth';
import type { CrmHarness } from '../../../support/crm-harness';
import { eventuallyPasses } from '../../../support/eventually';

/*
 * Rows a process test needs that are not what it tests: people, customers, products. Each test
 * uses a region and names of its own, so tests sharing the database never pick each other's reps.
 */

export const ADMIN_KEY = 'demo-admin-key';

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export interface TestUser {
  id: string;
  email: string;
  apiKey: string;
}

export async function createUser(
  h: CrmHarness,
  user: {
    roles: string[];
    region?: string;
    productLines?: string[];
    skills?: string[];
    capacity?: number;
    locale?: string;
    managerId?: string;
  },
): Promise<TestUser> {
  const id = `u-${user.roles[0]}-${uniqueSuffix()}`;
  const apiKey = `key-${randomUUID()}`;
  const email = `${id}@staff.test`;
  const attributes = {
    ...(user.region ? { region: user.region } : {}),
    ...(user.productLines ? { productLines: user.productLines } : {}),
    ...(user.skills ? { skills: user.skills } : {}),
    ...(user.capacity !== undefined ? { capacity: user.capacity } : {}),
    locale: user.locale ?? 'en',
  };
  await h.sql(
    `insert into engine_user (id, name, email, roles, attributes, manager_id, active, created_at)
     values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, true, now())`,
    [id, `Test ${id}`, email, JSON.stringify(user.roles), JSON.stringify(attributes), user.managerId ?? null],
  );
  await insertTestApiKey(h.sql, id, apiKey);
  return { id, email, apiKey };
}

/** Open leads owned by `ownerId`, so the workload the assignment compares is known. */
export async function giveOpenLeads(h: CrmHarness, ownerId: string, count: number, region: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await h.sql(
      `insert into leads (id, source, company, contact_name, region, product_interest, status, owner_id)
       values (?, 'seed', ?, 'Someone', ?, 'seed', 'contacted', ?)`,
      [`L-seed-${uniqueSuffix()}`, `Seed Co ${uniqueSuffix()}`, region, ownerId],
    );
  }
}

export async function createCustomer(
  h: CrmHarness,
  customer: {
    grade?: string;
    region?: string;
    discountRate?: number;
    locale?: string;
    purchasedVolume?: number;
    ownerId?: string;
  } = {},
): Promise<{ id: string; email: string; name: string }> {
  const id = `C-${uniqueSuffix()}`;
  const email = `buyer-${id.toLowerCase()}@customer.test`;
  const name = `Customer ${id}`;
  await h.sql(
    `insert into customers (id, name, grade, region, discount_rate, locale, purchased_volume, owner_id) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      name,
      customer.grade ?? 'B',
      customer.region ?? 'east',
      customer.discountRate ?? 0,
      customer.locale ?? 'en',
      customer.purchasedVolume ?? 0,
      customer.ownerId ?? null,
    ],
  );
  await h.sql(`insert into contacts (id, customer_id, name, email, is_primary) values (?, ?, 'Buyer', ?, true)`, [
    `CT-${uniqueSuffix()}`,
    id,
    email,
  ]);
  return { id, email, name };
}

export async function createWarehouse(h: CrmHarness): Promise<{ id: string; email: string }> {
  const id = `WH-${uniqueSuffix()}`;
  const email = `${id.toLowerCase()}@warehouse.test`;
  await h.sql(`insert into warehouses (id, name, region, email) values (?, ?, 'east', ?)`, [
    id,
    `Warehouse ${id}`,
    email,
  ]);
  return { id, email };
}

export async function createProduct(
  h: CrmHarness,
  product: {
    listPriceCents: number;
    productLine?: string;
    stock?: { warehouseId: string; onHand: number }[];
    tiers?: { minQuantity: number; unitPriceCents: number }[];
  },
): Promise<{ id: string; sku: string }> {
  const id = `P-${uniqueSuffix()}`;
  const sku = `SKU-${id}`;
  await h.sql(`insert into products (id, sku, name, product_line, list_price_cents) values (?, ?, ?, ?, ?)`, [
    id,
    sku,
    `Product ${id}`,
    product.productLine ?? `line-${id}`,
    product.listPriceCents,
  ]);
  for (const tier of product.tiers ?? []) {
    await h.sql(`insert into price_tiers (id, product_id, min_quantity, unit_price_cents) values (?, ?, ?, ?)`, [
      `PT-${uniqueSuffix()}`,
      id,
      tier.minQuantity,
      tier.unitPriceCents,
    ]);
  }
  for (const row of product.stock ?? []) {
    await h.sql(`insert into stock (product_id, warehouse_id, on_hand) values (?, ?, ?)`, [
      id,
      row.warehouseId,
      row.onHand,
    ]);
  }
  return { id, sku };
}

export async function createSupplier(h: CrmHarness, productLine: string): Promise<{ id: string; email: string }> {
  const id = `SUP-${uniqueSuffix()}`;
  const email = `${id.toLowerCase()}@supplier.test`;
  await h.sql(`insert into suppliers (id, name, email, product_lines) values (?, ?, ?, array[?]::text[])`, [
    id,
    `Supplier ${id}`,
    email,
    productLine,
  ]);
  return { id, email };
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse, status: number): T {
  expect({ status: response.statusCode, body: response.json() as unknown }).toMatchObject({ status });
  return response.json() as T;
}

export interface InboxTask {
  id: string;
  title: string;
  assignee: string | null;
  candidateRole: string | null;
  priority: string;
  status: string;
  instanceId: string;
  stepId: string;
  outcomes: string[];
}

/** The open tasks of `instanceId` in this user's inbox. */
export async function inbox(h: CrmHarness, apiKey: string, instanceId: string): Promise<InboxTask[]> {
  const page = json<{ items: InboxTask[] }>(
    await h.call(apiKey, { method: 'GET', url: '/api/v1/tasks?status=open&limit=200' }),
    200,
  );
  return page.items.filter((task) => task.instanceId === instanceId);
}

export async function complete(
  h: CrmHarness,
  apiKey: string,
  taskId: string,
  outcome: string,
  form: Record<string, unknown> = {},
): Promise<LightMyRequestResponse> {
  return h.call(apiKey, {
    method: 'POST',
    url: `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`,
    payload: { outcome, form },
  });
}

/** Retries `check` (an assertion) until it passes: for state the processes reach on their own. */
export function until<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  return eventuallyPasses(check, { description: 'state the processes reach', timeoutMs, intervalMs: 150 });
}
