import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCrmHarness, type CrmHarness } from '../../../support/crm-harness';
import {
  ADMIN_KEY,
  complete,
  createCustomer,
  createProduct,
  createWarehouse,
  inbox,
  json,
  uniqueSuffix,
  until,
} from './crm-fixtures';
import { createSalesTeam, getInstance, getQuote, postQuote, waitForInbox } from './sales-process-fixtures';
import { getTicket, openTask, openTicket, tasksOf } from './service-process-fixtures';

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * A task's form requires what the template later reads, so a completion that leaves it out is
 * refused (422) while the task stays open, instead of being taken and failing the instance at the
 * step that reads it; and the linter refuses a template that reads a field its form leaves optional.
 */
describe('task forms require what the process reads (through the API)', () => {
  let h: CrmHarness;
  beforeAll(async () => {
    h = await startCrmHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  function expectFormRefused(response: { statusCode: number; headers: Record<string, unknown> }, body: Problem) {
    expect(response.statusCode).toBe(422);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(body.type).toContain('invalid-form');
    return body;
  }

  it('refuses the Revise task completed with an empty form (422 naming changeReason); a proper completion revises the quote', async () => {
    const team = await createSalesTeam(h);
    const warehouse = await createWarehouse(h);
    const customer = await createCustomer(h, { discountRate: 0.18, ownerId: team.rep.id });
    const product = await createProduct(h, {
      listPriceCents: 100_000,
      stock: [{ warehouseId: warehouse.id, onHand: 1000 }],
    });
    const { quote, instanceId } = await postQuote(h, team.rep.apiKey, {
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    const [approval] = await waitForInbox(h, team.manager, instanceId);
    json(await complete(h, team.manager.apiKey, approval!.id, 'sendBack', { reason: 'fewer units' }), 200);
    const [revise] = await waitForInbox(h, team.rep, instanceId);
    expect(revise).toMatchObject({ stepId: 'revise', outcomes: ['revised'] });

    const empty = await complete(h, team.rep.apiKey, revise!.id, 'revised', {});
    const problem = expectFormRefused(empty, empty.json());
    expect(problem.detail).toContain('changeReason');
    expect(problem.detail).toContain('required');
    expect(problem.errors).toEqual([{ path: '/body/form/changeReason', message: 'is required' }]);

    // Refused before the process took it: the task is still open, the instance alive, the quote waiting.
    expect((await inbox(h, team.rep.apiKey, instanceId)).map((t) => [t.id, t.status])).toEqual([[revise!.id, 'open']]);
    expect((await getInstance(h, instanceId)).status).toBe('running');
    expect((await getQuote(h, quote.id)).status).toBe('changes-requested');

    json(await complete(h, team.rep.apiKey, revise!.id, 'revised', { changeReason: 'ten units, one delivery' }), 200);
    const [second] = await waitForInbox(h, team.manager, instanceId);
    expect(second!.id).not.toBe(approval!.id);
    expect(second!.title).toContain(`${quote.id} v2`);
    const revised = await getQuote(h, quote.id);
    expect(revised.versions.map((v) => [v.version, v.changeReason])).toEqual([
      [1, null],
      [2, 'ten units, one delivery'],
    ]);
    expect((await getInstance(h, instanceId)).status).toBe('running');
  });

  it('refuses the Resolve task of a ticket without a resolution (422 naming it); the ticket stays open until one is given', async () => {
    const { ticketId, instanceId } = await openTicket(h, {
      subject: `Printer jam ${uniqueSuffix()}`,
      body: 'The printer jams on every page.',
    });
    const respond = await openTask(h, instanceId, 'respond');
    json(await complete(h, ADMIN_KEY, respond.id, 'responded'), 200);
    const resolve = await openTask(h, instanceId, 'resolve');

    const empty = await complete(h, ADMIN_KEY, resolve.id, 'resolved', {});
    const problem = expectFormRefused(empty, empty.json());
    expect(problem.detail).toContain('resolution');
    expect(problem.errors).toEqual([{ path: '/body/form/resolution', message: 'is required' }]);
    expect((await tasksOf(h, instanceId, 'resolve')).map((t) => t.status)).toEqual(['open']);
    expect((await getTicket(h, ticketId)).status).not.toBe('resolved');

    json(await complete(h, ADMIN_KEY, resolve.id, 'resolved', { resolution: 'Cleaned the rollers.' }), 200);
    await until(async () => expect((await getTicket(h, ticketId)).status).toBe('resolved'));
    expect((await getInstance(h, instanceId)).status).toBe('running');
  });

  it('refuses a template that reads a form field its task does not require, at the read; has() or required: true pass', async () => {
    const key = `form-reads-${uniqueSuffix()}`;
    const templateReading = (reason: string, required: boolean) =>
      [
        `key: ${key}`,
        'name: Form reads',
        'input: { type: object }',
        'steps:',
        '  - id: review',
        '    task:',
        '      title: Review',
        '      candidates: { role: sales-manager }',
        '      outcomes: [done]',
        '      form:',
        `        reason: { type: string${required ? ', required: true' : ''} }`,
        '  - id: keep',
        `    set: { reason: '${reason}' }`,
      ].join('\n');
    const validate = async (yaml: string) => {
      const saved = await h.call(ADMIN_KEY, {
        method: 'PUT',
        url: `/api/v1/templates/${key}/draft`,
        headers: { 'content-type': 'application/yaml' },
        payload: yaml,
      });
      expect(saved.statusCode).toBe(200);
      return h.call(ADMIN_KEY, { method: 'POST', url: `/api/v1/templates/${key}/validate` });
    };

    const refused = await validate(templateReading('=steps.review.form.reason', false));
    expect(refused.statusCode).toBe(422);
    const diagnostics = refused.json<{
      diagnostics: { code: string; line: number; column: number; message: string }[];
    }>().diagnostics;
    const read = diagnostics.find((d) => d.code === 'expr.optional-form-field');
    expect(read).toMatchObject({ line: 13, column: 22 });
    expect(read!.message).toContain('required: true');

    for (const fixed of [
      templateReading('=has(steps.review.form.reason) ? steps.review.form.reason : ""', false),
      templateReading('=steps.review.form.reason', true),
    ]) {
      const passed = await validate(fixed);
      expect({ status: passed.statusCode, body: passed.json<unknown>() }).toMatchObject({ status: 200 });
    }
  });
});
