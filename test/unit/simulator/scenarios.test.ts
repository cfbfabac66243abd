import { afterAll, describe, expect, it } from '@jest/globals';
import { ACTIVITY_CATALOG } from '../../../activities';
import type { DryRunScenario } from '../../../contracts/dry-run';
import { compileTemplate } from '../../../dsl/compile';
import type { ProcessPlan } from '../../../dsl/plan';
import { dryRun, scenarioHeld } from '../../../simulator/dry-run';
import { closeWorkflowCreator } from '../../../simulator/workflow-vm';

// The dry runs execute in a worker thread of their own: end it, or jest waits for it.
afterAll(closeWorkflowCreator);

function planOf(steps: string): ProcessPlan {
  const source = ['key: sample', 'name: Sample', 'input: { type: object }', 'steps:', steps].join('\n');
  const { plan, diagnostics } = compileTemplate(source, { catalog: ACTIVITY_CATALOG });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return plan!;
}

const APPROVAL = planOf(`
  - id: approve
    task:
      title: Approve
      candidates: { role: sales-manager }
      outcomes: [approve, reject]
  - id: paid
    receive: { event: invoice.paid }
  - id: decided
    set: { decision: =steps.approve.outcome, amount: =steps.paid.payload.amount }
`);

const scenario = (extra: Partial<DryRunScenario>): DryRunScenario => ({ name: 'sample', input: {}, ...extra });

describe('dry-run scenarios', () => {
  it('waits at the open task when the scenario gives no answer for it', async () => {
    const result = await dryRun(APPROVAL, scenario({}));
    expect(result.status).toBe('waiting');
    expect(result.waitingAt).toEqual([
      expect.objectContaining({ stepId: 'approve', kind: 'task', detail: expect.stringContaining('no answer') }),
    ]);
    expect(result.tasks).toEqual([expect.objectContaining({ stepId: 'approve', title: 'Approve' })]);
    expect(result.tasks[0]!.outcome).toBeUndefined();
  });

  it('waits at a receive until the event the scenario sends; an event without afterMs arrives when it waits', async () => {
    const waiting = await dryRun(APPROVAL, scenario({ tasks: { approve: [{ outcome: 'approve' }] } }));
    expect(waiting.status).toBe('waiting');
    expect(waiting.waitingAt).toEqual([expect.objectContaining({ stepId: 'paid', kind: 'receive' })]);

    const done = await dryRun(
      APPROVAL,
      scenario({
        tasks: { approve: [{ outcome: 'reject', afterMs: 3_600_000 }] },
        events: [{ event: 'invoice.paid', payload: { amount: 12 } }],
      }),
    );
    expect(done.status).toBe('completed');
    expect(done.vars).toMatchObject({ decision: 'reject', amount: 12 });
    expect(done.virtualMs).toBeGreaterThanOrEqual(3_600_000);
    expect(done.waitingAt).toEqual([]);
  });

  it('stops a loop without end at the activation budget, with an error in the result', async () => {
    const plan = planOf(`
  - id: spin
    repeat:
      until: =false
      maxIterations: 100000000
      steps:
        - id: tick
          wait: PT1M
`);
    const result = await dryRun(plan, scenario({}), { maxActivations: 50 });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'dry-run.budget-exceeded' });
    expect(result.error!.message).toContain('50 activations');
    expect(scenarioHeld(undefined, result)).toBe(false);
  });

  it('stops at the wall-clock budget too', async () => {
    const plan = planOf(`
  - id: spin
    repeat:
      until: =false
      maxIterations: 100000000
      steps:
        - id: tick
          wait: PT1M
`);
    const result = await dryRun(plan, scenario({}), { maxActivations: 1_000_000, wallBudgetMs: 200 });
    expect(result.status).toBe('failed');
    expect(result.error!.message).toContain('wall-clock');
    expect(result.wallMs).toBeLessThan(5_000);
  });

  it('checks each expectation and says which failed', async () => {
    const result = await dryRun(
      APPROVAL,
      scenario({
        tasks: { approve: [{ outcome: 'approve' }] },
        events: [{ event: 'invoice.paid', payload: { amount: 5 } }],
        expect: {
          status: 'completed',
          reached: ['approve', 'decided'],
          notReached: ['paid'],
          vars: { decision: 'approve', amount: 6 },
        },
      }),
    );
    expect(result.expectations).toEqual([
      { what: 'status', ok: true, message: 'as expected' },
      { what: 'reached approve', ok: true, message: 'as expected' },
      { what: 'reached decided', ok: true, message: 'as expected' },
      { what: 'not reached paid', ok: false, message: 'step paid ran' },
      { what: 'vars.decision', ok: true, message: 'as expected' },
      { what: 'vars.amount', ok: false, message: 'expected 6, was 5' },
    ]);
    expect(scenarioHeld(undefined, result)).toBe(false);
  });

  it('ends at a step held in incident with its error, instead of waiting for an operator', async () => {
    const plan = planOf(`
  - id: price
    set: { total: '=int("x") * 2' }
`);
    const result = await dryRun(plan, scenario({ expect: { status: 'incident' } }));
    expect(result.status).toBe('incident');
    expect(result.error).toMatchObject({ code: 'expression.failed', stepId: 'price' });
    expect(scenarioHeld({ status: 'incident' }, result)).toBe(true);
  });

  it('holds a scenario that expects a failure, and not one that fails unexpectedly', async () => {
    const plan = planOf(`
  - id: stop
    fail: { code: quote.too-cheap, message: too cheap }
`);
    const expected = scenario({ expect: { status: 'failed' } });
    const failed = await dryRun(plan, expected);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'quote.too-cheap' });
    expect(scenarioHeld(expected.expect, failed)).toBe(true);
    const unexpected = await dryRun(plan, scenario({ expect: { notReached: ['nothing'] } }));
    expect(scenarioHeld({ notReached: ['nothing'] }, unexpected)).toBe(false);
  });

  it('answers an activity without an answer from its result schema, marked generated', async () => {
    const plan = planOf(`
  - id: levels
    call: crm.approvalLevels
    with:
      discountPercent: 26
      totalCents: 7360000
      policy:
        levels:
          - { name: sales manager, approvers: [sales-manager], mode: sequential, discountPercentAbove: 10, totalAboveCents: 5000000 }
`);
    const result = await dryRun(plan, scenario({}));
    expect(result.status).toBe('completed');
    expect(result.activities).toEqual([
      expect.objectContaining({ stepId: 'levels', activity: 'crm.approvalLevels', generated: true }),
    ]);
  });
  it('claims, delegates and releases a task before completing it, each as the Update the API sends', async () => {
    const result = await dryRun(
      APPROVAL,
      scenario({
        tasks: {
          approve: [
            {
              outcome: 'approve',
              afterMs: 60_000,
              actions: [
                { kind: 'claim', by: 'mia' },
                { kind: 'release', by: 'someone' },
                { kind: 'delegate', by: 'mia', to: 'max' },
              ],
            },
          ],
        },
      }),
    );
    expect(result.tasks).toEqual([
      expect.objectContaining({
        stepId: 'approve',
        outcome: 'approve',
        assignee: 'max',
        actions: [
          { kind: 'claim', by: 'mia', atMs: 60_000 },
          { kind: 'release', by: 'someone', atMs: 60_000, rejected: expect.stringContaining('does not hold') },
          { kind: 'delegate', by: 'mia', to: 'max', atMs: 60_000 },
        ],
      }),
    ]);
    const changes = result.timeline.filter((entry) => entry.type.startsWith('task.')).map((entry) => entry.type);
    expect(changes).toEqual(['task.opened', 'task.claimed', 'task.delegated', 'task.completed']);
    expect(result.waitingAt).toEqual([expect.objectContaining({ stepId: 'paid' })]);
  });

  describe('a child that stays running', () => {
    const parent = planOf(`
  - id: review
    process: { template: slow-review, input: { quoteId: Q-1 } }
  - id: after
    set: { reviewed: true }
`);

    it('keeps the parent waiting at the process step', async () => {
      const result = await dryRun(parent, scenario({ children: { review: [{ running: true }] } }));
      expect(result.status).toBe('waiting');
      expect(result.waitingAt).toEqual([expect.objectContaining({ stepId: 'review', kind: 'process' })]);
    });

    it('is cancelled with its parent, which ends cancelled without going on', async () => {
      const result = await dryRun(
        parent,
        scenario({
          children: { review: [{ running: true }] },
          cancelAfterMs: 5_000,
          expect: { notReached: ['after'] },
        }),
      );
      expect(result.status).toBe('cancelled');
      expect(result.virtualMs).toBe(5_000);
      expect(result.expectations.every((check) => check.ok)).toBe(true);
    });
  });
});
