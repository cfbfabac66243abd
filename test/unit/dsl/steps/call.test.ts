import { describe, expect, it } from '@jest/globals';
import { firstStep, template } from '../templates';

describe('call step', () => {
  it('compiles activity, parameters with expressions, timeout, retry and compensation', () => {
    const step = firstStep(
      template(`
  - id: notify
    call: mail.send
    with: { to: =input.leadId, subject: Hi, text: '==not an expression' }
    timeout: PT30S
    retry: { maximumAttempts: 3, initialInterval: PT2S, backoffCoefficient: 1.5, maximumInterval: PT1M, nonRetryableErrorTypes: [mail.rejected] }
    compensate:
      - { id: undo, call: audit.record, with: { actor: a, action: undo, subject: =steps.notify.outboxId } }
`),
    );
    expect(step).toEqual({
      id: 'notify',
      kind: 'call',
      path: 'steps[0]',
      activity: 'mail.send',
      with: { to: { $expr: 'input.leadId' }, subject: 'Hi', text: '=not an expression' },
      timeoutMs: 30_000,
      retry: {
        maximumAttempts: 3,
        initialIntervalMs: 2_000,
        backoffCoefficient: 1.5,
        maximumIntervalMs: 60_000,
        nonRetryableErrorTypes: ['mail.rejected'],
      },
      compensate: [
        {
          id: 'undo',
          kind: 'call',
          path: 'steps[0].compensate[0]',
          activity: 'audit.record',
          with: { actor: 'a', action: 'undo', subject: { $expr: 'steps.notify.outboxId' } },
          timeoutMs: 60_000,
          retry: { maximumAttempts: 0, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 },
        },
      ],
    });
  });

  it('retries without an attempt limit by default, backing off from 1 s to at most 5 min', () => {
    const step = firstStep(
      template(`
  - { id: log, call: audit.record, with: { actor: a, action: b, subject: c } }
`),
    );
    expect(step).toMatchObject({
      retry: { maximumAttempts: 0, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 },
    });
  });

  it('bounds the attempts of one step when the template says so, keeping the other defaults', () => {
    const step = firstStep(
      template(`
  - { id: log, call: audit.record, with: { actor: a, action: b, subject: c }, retry: { maximumAttempts: 4 } }
`),
    );
    expect(step).toMatchObject({
      retry: { maximumAttempts: 4, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 },
    });
  });

  it('wraps a literal object that would read as an expression', () => {
    const step = firstStep(
      template(`
  - { id: log, call: audit.record, with: { actor: a, action: b, subject: c, detail: { $expr: not evaluated } } }
`),
    );
    expect(step).toMatchObject({ with: { detail: { $literal: { $expr: 'not evaluated' } } } });
  });

  it('compiles if and onError, common to every kind', () => {
    const step = firstStep(
      template(`
  - id: notify
    if: =input.amount > 100.0
    call: audit.record
    with: { actor: a, action: b, subject: c }
    onError:
      steps: [{ id: note, set: { failed: true } }]
      then: continue
`),
    );
    expect(step).toMatchObject({
      if: { $expr: 'input.amount > 100.0' },
      onError: {
        steps: [{ id: 'note', kind: 'set', path: 'steps[0].onError.steps[0]', vars: { failed: true } }],
        then: 'continue',
      },
    });
  });
});
