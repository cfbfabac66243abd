import { describe, expect, it } from '@jest/globals';
import type { InstanceState, TimelineEntry } from '../../../../contracts/engine';
import { instanceStateBody } from '../../../../api/services/instance-state';
import { planOf } from '../../web/diagram/builtin-plans';

const plan = planOf(`key: state-test
name: State test
input: { type: object }
steps:
  - id: pause
    wait: PT2H
  - id: arrival
    receive: { event: stock.received, timeout: P1D }
`);

const state: InstanceState = {
  instanceId: 'i-1',
  templateKey: 'state-test',
  version: 1,
  businessKey: null,
  status: 'running',
  currentSteps: ['arrival'],
  vars: { secret: 'x' },
  steps: { pause: { waitedMs: 7_200_000 } },
  tasks: [],
  bufferedEvents: [{ event: 'other.event', eventId: 'e-2', payload: { amount: 5 } }],
};
const timeline: TimelineEntry[] = [
  { seq: 1, at: '2026-11-30T08:00:00.000Z', type: 'step.started', stepId: 'pause', path: 'steps[0]' },
  { seq: 2, at: '2026-11-30T10:00:00.000Z', type: 'step.completed', stepId: 'pause', path: 'steps[0]' },
  { seq: 3, at: '2026-11-30T10:00:00.000Z', type: 'step.started', stepId: 'arrival', path: 'steps[1]' },
  { seq: 4, at: '2026-11-30T10:05:00.000Z', type: 'event.received', detail: { event: 'other.event', eventId: 'e-2' } },
];

describe('instanceStateBody: what GET /instances/:id/state answers', () => {
  it('derives pending timers from the running steps of the plan, and shows values in full', () => {
    const body = instanceStateBody({ instanceId: 'i-1', state, projected: null, timeline, plan, full: true });
    expect(body.timers).toEqual([
      { kind: 'receive-timeout', stepId: 'arrival', path: 'steps[1]', fireAt: '2026-12-01T10:00:00.000Z' },
    ]);
    expect(body).toMatchObject({
      visibility: 'full',
      source: 'workflow',
      vars: { secret: 'x' },
      events: {
        received: [{ event: 'other.event', eventId: 'e-2', at: '2026-11-30T10:05:00.000Z' }],
        buffered: [{ event: 'other.event', eventId: 'e-2', payload: { amount: 5 } }],
      },
    });
  });

  it('leaves values and payloads out for a reader without instances.see-all', () => {
    const body = instanceStateBody({ instanceId: 'i-1', state, projected: null, timeline, plan, full: false });
    expect(body).toMatchObject({ visibility: 'structure', vars: null, steps: null });
    expect(body.events.buffered).toEqual([{ event: 'other.event', eventId: 'e-2' }]);
  });

  it('answers from the projection, without values, when the workflow could not be asked', () => {
    const body = instanceStateBody({
      instanceId: 'i-1',
      state: null,
      projected: { status: 'completed', currentSteps: [] },
      timeline,
      plan,
      full: true,
    });
    expect(body).toMatchObject({ source: 'projection', status: 'completed', vars: null, steps: null, timers: [] });
  });
});
