import { describe, expect, it } from '@jest/globals';
import { ACTIVITY_CATALOG } from '../../../../../activities';
import type { ActivityDeps } from '../../../../../activities/deps';
import { bindActivities, catalogOf } from '../../../../../activities/activity-definition';
import { serviceActivities } from '../../../../../activities/crm/service';
import { compileTemplate } from '../../../../../dsl/compile';

describe('CRM service activities in the catalog', () => {
  // The factories only capture their dependencies; nothing is called here.
  const activities = bindActivities(serviceActivities, {} as ActivityDeps);
  const CRM_SERVICE_CATALOG = catalogOf(serviceActivities);

  it('describes every registered service activity, all of them in the activity catalog', () => {
    expect(Object.keys(activities).sort()).toEqual(Object.keys(CRM_SERVICE_CATALOG).sort());
    expect(Object.keys(CRM_SERVICE_CATALOG)).toHaveLength(12);
    for (const name of Object.keys(CRM_SERVICE_CATALOG)) {
      expect(ACTIVITY_CATALOG[name]).toBe(CRM_SERVICE_CATALOG[name]);
    }
  });

  it('refuses unknown parameters on every service activity', () => {
    for (const [name, entry] of Object.entries(CRM_SERVICE_CATALOG)) {
      expect([name, (entry.params as { additionalProperties?: unknown }).additionalProperties]).toEqual([name, false]);
    }
  });
});

const SERVICE_TEMPLATE = `key: ticket-service
name: Ticket service
input:
  type: object
  required: [ticketId]
  properties:
    ticketId: { type: string }
steps:
  - id: load
    call: crm.loadTicket
    with: { ticketId: =input.ticketId }
  - id: classify
    call: crm.classifyTicket
    with: { text: =steps.load.ticket.text }
  - id: prio
    call: crm.prioritiseTicket
    with: { category: =steps.classify.category, customerGrade: =steps.load.customerGrade }
  - id: sla
    call: crm.ticketSla
    with: { priority: =steps.prio.priority, openedAt: =steps.load.ticket.openedAt }
  - id: save
    call: crm.updateTicket
    with: { ticketId: =input.ticketId, category: =steps.classify.category, priority: =steps.prio.priority, redAlert: =steps.prio.redAlert, responseDueAt: =steps.sla.responseDueAt }
  - id: assign
    call: crm.assignTicket
    with: { ticketId: =input.ticketId, role: =steps.prio.routeTo }
  - id: close
    call: crm.closeTicket
    with: { ticketId: =input.ticketId }
  - id: invite
    call: crm.createSurveyInvitation
    with: { customerId: =steps.load.customer.id, triggerRef: ="ticket:" + input.ticketId }
  - id: analyse
    call: crm.analyseSurveyResponse
    with: { invitationId: =steps.invite.invitationId, policy: { lowScoreThreshold: 3.5 } }
  - id: followUp
    switch:
      - when: =steps.analyse.low
        do:
          - id: complaint
            call: crm.openFollowUpTicket
            with: { invitationId: =steps.invite.invitationId }
      - otherwise: []
`;

describe('a service template against the catalog', () => {
  it('compiles a template that chains the service activities with the rule activities', () => {
    const result = compileTemplate(SERVICE_TEMPLATE, { catalog: ACTIVITY_CATALOG });
    expect(result.diagnostics).toEqual([]);
  });

  it('rejects a misspelt result field of a service activity', () => {
    const result = compileTemplate(SERVICE_TEMPLATE.replace('=steps.load.customerGrade', '=steps.load.grade'), {
      catalog: ACTIVITY_CATALOG,
    });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', path: 'steps[2].with.customerGrade' }),
    ]);
  });
});
