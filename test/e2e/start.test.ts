import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { connectTemporalClient } from '../../runtime/temporal-client-connection';
import { openOrm } from '../../db/orm';
import { AuditLog } from '../../db/entities';
import {
  ownerOfNewLead,
  pickProductPorts,
  processesUsing,
  startProductProcess,
  waitForHttp,
  type ProductProcess,
} from '../support/product-process';

const READY_TIMEOUT_MS = 90_000;

/** `npm start` as a user runs it: embedded servers, ready, Ctrl-C, nothing left, data kept. */
describe('npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-start-'));
  fs.chmodSync(dataDir, 0o755);
  const running: ProductProcess[] = [];
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up ready, runs a workflow, stops cleanly on SIGINT and keeps its data across restarts', async () => {
    const ports = await pickProductPorts();
    const first = startProductProcess(dataDir, ports);
    running.push(first);
    const ready = await waitForHttp(`http://127.0.0.1:${ports.api}/readyz`, READY_TIMEOUT_MS).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n--- output ---\n${first.output()}`);
      },
    );
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', worker: 'ok' },
      services: { postgres: 'up', temporal: 'up', smtp: 'up' },
    });
    expect((await waitForHttp(`http://127.0.0.1:${ports.temporalUi}/`, 30_000)).status).toBe(200);
    expect(first.output()).toContain(`http://127.0.0.1:${ports.api}`);
    // The web app comes with it, at the root, built from this checkout's sources.
    const page = await fetch(`http://127.0.0.1:${ports.api}/inbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${ports.api}${script}`)).status).toBe(200);

    // The product's own worker (task queue crm-processes) runs a workflow end to end.
    const workflowId = `start-test-${randomUUID()}`;
    const recipient = `start+${randomUUID().slice(0, 8)}@example.test`;
    const connection = await connectTemporalClient({ address: `127.0.0.1:${ports.temporal}` });
    const result = (await new Client({ connection }).workflow.execute('smokeCheck', {
      workflowId,
      taskQueue: 'crm-processes',
      args: [{ recipient }],
    })) as { auditId: string };
    await connection.close();
    const mail = (await fetch(`http://127.0.0.1:${ports.mailUi}/api/messages`).then((r) => r.json())) as {
      messages: { to: string[] }[];
    };
    expect(mail.messages.some((m) => m.to.includes(recipient))).toBe(true);

    // The demo company and the built-in templates are there: an east/erp lead goes to the east rep
    // with the fewest open leads (u-rep-east-2 has 1, u-rep-east-1 has 3).
    const owner = await ownerOfNewLead(ports.api, `Start Test ${randomUUID().slice(0, 8)}`, 20_000);
    expect(owner).toBe('u-rep-east-2');

    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(processesUsing(dataDir)).toEqual([]);

    const second = startProductProcess(dataDir, ports);
    running.push(second);
    await waitForHttp(`http://127.0.0.1:${ports.api}/readyz`, READY_TIMEOUT_MS);
    const orm = await openOrm(`postgresql://postgres:postgres@127.0.0.1:${ports.postgres}/crm`, { poolMax: 1 });
    try {
      const audit = await orm.em.fork().findOne(AuditLog, { id: result.auditId });
      expect(audit?.subject).toBe(workflowId);
    } finally {
      await orm.close();
    }
    const again = await connectTemporalClient({ address: `127.0.0.1:${ports.temporal}` });
    const described = await new Client({ connection: again }).workflow.getHandle(workflowId).describe();
    await again.close();
    expect(described.status.name).toBe('COMPLETED');
    const kept = (await fetch(`http://127.0.0.1:${ports.mailUi}/api/messages`).then((r) => r.json())) as {
      messages: { to: string[] }[];
    };
    expect(kept.messages.some((m) => m.to.includes(recipient))).toBe(true);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(processesUsing(dataDir)).toEqual([]);
  }, 240_000);

  it('names the port and the variable when a port is taken', async () => {
    const ports = await pickProductPorts();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.api, '127.0.0.1', resolve));
    try {
      const product = startProductProcess(dataDir, ports);
      running.push(product);
      expect((await product.exited).code).toBe(1);
      const lines = product.output().trim().split('\n');
      expect(lines).toEqual([
        `Port ${ports.api} is already in use: stop what is using it, or set PORT to a free port.`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('reports every invalid variable at once and starts nothing', async () => {
    const ports = await pickProductPorts();
    const product = startProductProcess(dataDir, ports, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    running.push(product);
    expect((await product.exited).code).toBe(1);
    expect(product.output()).toContain('PORT="eighty" is not a port number');
    expect(product.output()).toContain('LOG_LEVEL="loud" must be one of');
  });

  it('with DEMO_DATA=false creates no demo users or company, only the ADMIN_API_KEY admin, and still publishes the five templates', async () => {
    const realDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-engine-real-'));
    fs.chmodSync(realDir, 0o755);
    try {
      const ports = await pickProductPorts();
      const adminKey = `admin-${randomUUID()}`;
      const product = startProductProcess(realDir, ports, { DEMO_DATA: 'false', ADMIN_API_KEY: adminKey });
      running.push(product);
      await waitForHttp(`http://127.0.0.1:${ports.api}/readyz`, READY_TIMEOUT_MS).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- output ---\n${product.output()}`);
      });
      expect(product.output()).not.toContain('demo-admin-key');
      const api = `http://127.0.0.1:${ports.api}/api/v1`;
      expect((await fetch(`${api}/users`, { headers: { 'x-api-key': 'demo-admin-key' } })).status).toBe(401);
      const users = await fetch(`${api}/users`, { headers: { 'x-api-key': adminKey } });
      expect(users.status).toBe(200);
      expect(((await users.json()) as { items: { id: string }[] }).items.map((u) => u.id)).toEqual(['admin']);
      const customers = await fetch(`${api}/customers`, { headers: { 'x-api-key': adminKey } });
      expect(((await customers.json()) as { items: unknown[] }).items).toEqual([]);
      const templates = await fetch(`${api}/templates`, { headers: { 'x-api-key': adminKey } });
      expect(((await templates.json()) as { items: { key: string }[] }).items.map((t) => t.key).sort()).toEqual([
        'lead-assignment',
        'order-fulfilment',
        'quote-approval',
        'survey-reminders',
        'ticket-escalation',
      ]);
      product.child.kill('SIGINT');
      expect(await product.exited).toEqual({ code: 0, signal: null });
    } finally {
      fs.rmSync(realDir, { recursive: true, force: true });
    }
  }, 150_000);
});
