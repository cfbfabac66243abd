import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { Transporter } from 'nodemailer';
import { ACTIVITY_CATALOG, ACTIVITY_DEFINITIONS, createActivities } from '../../../../../activities';
import { leadActivities } from '../../../../../activities/crm/sales/leads';
import { orderActivities } from '../../../../../activities/crm/sales/orders';
import { quoteActivities } from '../../../../../activities/crm/sales/quotes';
import type { Orm } from '../../../../../db/orm';
import { compileTemplate } from '../../../../../dsl/compile';

// A lead-to-order chain as a template would write it; the linter checks every `with:` and `steps.…` against the catalog.
const TEMPLATE = `key: sales-chain
name: Sales chain
input:
  type: object
  required: [leadId, quoteId]
  properties:
    leadId: { type: string }
    quoteId: { type: string }
steps:
  - id: assign
    call: crm.assignLead
    with: { leadId: =input.leadId }
  - id: tell
    call: mail.sendTemplate
    with: { to: =steps.assign.owner.email, template: lead-assigned, locale: =steps.assign.owner.locale, data: { company: =steps.assign.lead.company } }
  - id: price
    call: crm.priceQuoteVersion
    with: { quoteId: =input.quoteId, version: 1 }
  - id: order
    call: crm.createOrderFromQuote
    with: { quoteId: =steps.price.quoteId }
  - id: reserve
    call: crm.reserveStock
    with: { orderId: =steps.order.orderId }
  - id: ship
    call: crm.createShipmentNote
    with: { orderId: =steps.order.orderId, key: =steps.order.orderId + "-1" }
`;

describe('CRM sales activities in the catalog', () => {
  it('lists exactly the registered sales activities, all in the one catalog', () => {
    const sales = [...leadActivities, ...quoteActivities, ...orderActivities];
    expect(sales.map((activity) => activity.name).sort()).toEqual([
      'crm.assignLead',
      'crm.checkStock',
      'crm.createOrderFromQuote',
      'crm.createPurchaseRequests',
      'crm.createShipmentNote',
      'crm.disqualifyLead',
      'crm.loadOrder',
      'crm.priceQuoteVersion',
      'crm.qualifyLead',
      'crm.reassignLead',
      'crm.recordLeadContact',
      'crm.reserveStock',
      'crm.reviseQuote',
      'crm.setOrderStatus',
      'crm.setQuoteStatus',
    ]);
    // Binding only builds closures; nothing touches the ORM or the mailer until an activity runs.
    const registered = Object.keys(
      createActivities({
        orm: {} as Orm,
        mailer: {} as Transporter,
        mailFrom: 'x@y.test',
        logger: pino({ level: 'silent' }),
      }),
    );
    expect(registered.sort()).toEqual(ACTIVITY_DEFINITIONS.map((activity) => activity.name).sort());
    for (const activity of sales) expect(ACTIVITY_CATALOG[activity.name]).toBe(activity.contract);
  });

  it('type-checks a template that chains them', () => {
    expect(compileTemplate(TEMPLATE, { catalog: ACTIVITY_CATALOG }).diagnostics).toEqual([]);
    const misspelt = compileTemplate(TEMPLATE.replace('=steps.order.orderId }', '=steps.order.orderID }'), {
      catalog: ACTIVITY_CATALOG,
    });
    expect(misspelt.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', path: 'steps[4].with.orderId' }),
    ]);
  });
});
