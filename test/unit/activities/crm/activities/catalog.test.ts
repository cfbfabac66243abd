import { describe, expect, it } from '@jest/globals';
import { Value } from 'typebox/value';
import { ACTIVITY_CATALOG } from '../../../../../activities';
import { bindActivities } from '../../../../../activities/activity-definition';
import type { ActivityDeps } from '../../../../../activities/deps';
import { crmRuleActivities } from '../../../../../activities/crm/rule-activities';
import { PrioritiseTicketParams } from '../../../../../activities/crm/rule-activity-schemas';
import { TicketClassification } from '../../../../../activities/crm/rules/classify-ticket';
import { DEFAULT_TICKET_PRIORITY_POLICY } from '../../../../../activities/crm/rules/defaults';
import { TicketPriorityInput } from '../../../../../activities/crm/rules/ticket-priority';
import { compileTemplate } from '../../../../../dsl/compile';

// The rule activities are pure: they never touch their dependencies.
const PURE_RULES_USE_NO_DEPS = {} as ActivityDeps;

const NAMES = ['crm.classifyTicket', 'crm.prioritiseTicket', 'crm.ticketSla', 'crm.priceQuote', 'crm.approvalLevels'];

const TEMPLATE = (categoryExpr: string) => `key: ticket-triage
name: Ticket triage
input:
  type: object
  required: [text, grade]
  properties:
    text: { type: string }
    grade: { type: string, enum: [VIP, A, B, C] }
steps:
  - id: classify
    call: crm.classifyTicket
    with: { text: =input.text }
  - id: prio
    call: crm.prioritiseTicket
    with: { category: ${categoryExpr}, customerGrade: =input.grade }
  - id: sla
    call: crm.ticketSla
    with: { priority: =steps.prio.priority, openedAt: =now }
  - id: alert
    switch:
      - when: =steps.prio.redAlert
        do:
          - id: tellManager
            call: mail.send
            with: { to: manager@example.com, subject: Red alert, text: =steps.classify.queue + " until " + steps.sla.responseDueAt }
      - otherwise: []
`;

describe('CRM rule activities in the catalog', () => {
  it('lists every registered rule activity, and the registry implements every catalog entry', () => {
    const registered = Object.keys(bindActivities(crmRuleActivities, PURE_RULES_USE_NO_DEPS)).sort();
    expect(registered).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(ACTIVITY_CATALOG[name]).toBeDefined();
  });

  it("reuses the rules' schemas: results as they are, the policy as an optional param", () => {
    expect(ACTIVITY_CATALOG['crm.classifyTicket']?.result).toBe(TicketClassification);
    const params = ACTIVITY_CATALOG['crm.prioritiseTicket']?.params;
    expect(params).toBe(PrioritiseTicketParams);
    expect(PrioritiseTicketParams.required).toEqual(['category', 'customerGrade']);
    expect(PrioritiseTicketParams.properties.category).toBe(TicketPriorityInput.properties.category);
    expect(Value.Check(params!, { category: 'complaint', customerGrade: 'VIP', severityHint: 'high' })).toBe(true);
    expect(
      Value.Check(params!, { category: 'complaint', customerGrade: 'VIP', policy: DEFAULT_TICKET_PRIORITY_POLICY }),
    ).toBe(true);
    expect(Value.Check(params!, { category: 'complaint', customerGrade: 'VIP', policy: {} })).toBe(false);
    expect(Value.Check(params!, { category: 'complaint', customerGrade: 'VIP', extra: 1 })).toBe(false);
  });

  it('compiles a triage template that chains the rule activities and switches on the red alert', () => {
    const result = compileTemplate(TEMPLATE('=steps.classify.category'), { catalog: ACTIVITY_CATALOG });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan?.steps.map((step) => step.id)).toEqual(['classify', 'prio', 'sla', 'alert']);
  });

  it('accepts a policy override in with:', () => {
    const source = TEMPLATE('=steps.classify.category').replace(
      'with: { text: =input.text }',
      'with: { text: =input.text, policy: { otherQueue: desk, precedence: [technical, complaint, sales], categories: { technical: { keywords: [bug], queue: it }, sales: { keywords: [price], queue: sales }, complaint: { keywords: [refund], queue: cr } } } }',
    );
    expect(compileTemplate(source, { catalog: ACTIVITY_CATALOG }).diagnostics).toEqual([]);
  });

  it('rejects a misspelt result field at publish time', () => {
    const result = compileTemplate(TEMPLATE('=steps.classify.categroy'), { catalog: ACTIVITY_CATALOG });
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', path: 'steps[1].with.category' }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/categroy/);
  });

  it("rejects a policy that does not fit the rule's policy schema", () => {
    const source = TEMPLATE('=steps.classify.category').replace(
      'with: { text: =input.text }',
      'with: { text: =input.text, policy: { otherQueue: desk } }',
    );
    expect(compileTemplate(source, { catalog: ACTIVITY_CATALOG }).diagnostics).toEqual([
      expect.objectContaining({
        code: 'call.invalid-params',
        path: 'steps[0].with.policy',
        message: expect.stringMatching(/'categories'/),
      }),
      expect.objectContaining({
        code: 'call.invalid-params',
        path: 'steps[0].with.policy',
        message: expect.stringMatching(/'precedence'/),
      }),
    ]);
  });
});
