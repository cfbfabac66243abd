import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { eventSignal, stateQuery, timelineQuery } from '../../workflows/messages';
import { call, definePlan, expr, receive, set, wait } from './support/plans';
import { startProcessHarness, type ProcessHarness } from './support/process-harness';
import { failIncident } from './support/incidents';
import { recordHistory } from './support/history-recorder';

const HOUR = 3_600_000;

describe('wait and receive', () => {
  let harness: ProcessHarness;
  beforeAll(async () => {
    harness = await startProcessHarness();
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('wait sleeps a duration or until a timestamp, on workflow time, flushing the projection first', async () => {
    const plan = definePlan('wait', [
      call('before', 'test.echo', { at: expr('now') }),
      wait('pause', { durationMs: 2 * 24 * HOUR }),
      call('middle', 'test.echo', { at: expr('now'), until: expr('timestamp(now) + duration("5h")') }),
      wait('untilTime', { until: expr('steps.middle.until') }),
      wait('inThePast', { until: expr('steps.before.at') }),
      call('after', 'test.echo', { at: expr('now') }),
    ]);
    const handle = await harness.start(plan);
    await handle.result();
    await recordHistory(handle, 'wait');
    const { steps } = await handle.query(stateQuery);
    const at = (id: string) => Date.parse((steps[id] as { at: string }).at);
    expect(at('middle') - at('before')).toBeGreaterThanOrEqual(2 * 24 * HOUR);
    expect(at('middle') - at('before')).toBeLessThan(2 * 24 * HOUR + 60_000);
    expect(at('after') - at('middle')).toBeGreaterThanOrEqual(5 * HOUR);
    expect(at('after') - at('middle')).toBeLessThan(5 * HOUR + 60_000);
    expect(steps.inThePast).toMatchObject({ waitedMs: 0 });
    // start, before each of the two real waits, end: not per step.
    expect(harness.engine.projection(handle.workflowId).flushes).toBe(4);
  });

  it('receive with buffer takes the first matching event from the start, dropping resent event ids', async () => {
    const fromStart = { after: null };
    const plan = definePlan('receive-match', [
      wait('first', { durationMs: HOUR }),
      receive('stock', 'stock.received', {
        match: expr('event.orderId == input.orderId'),
        timeoutMs: 24 * HOUR,
        buffer: fromStart,
      }),
      receive('moreStock', 'stock.received', {
        match: expr('payload.orderId == input.orderId'),
        timeoutMs: 24 * HOUR,
        onTimeout: [set('gaveUp', { gaveUp: true })],
        buffer: fromStart,
      }),
    ]);
    const handle = await harness.start(plan, { orderId: 'O-1' });
    // All sent before the receive step runs (it is behind a 1 h timer): they are buffered.
    await handle.signal(eventSignal, { event: 'stock.received', eventId: 'e1', payload: { orderId: 'O-2', qty: 1 } });
    await handle.signal(eventSignal, { event: 'other.event', eventId: 'e2', payload: { orderId: 'O-1' } });
    await handle.signal(eventSignal, { event: 'stock.received', eventId: 'e3', payload: { orderId: 'O-1', qty: 5 } });
    await handle.signal(eventSignal, { event: 'stock.received', eventId: 'e3', payload: { orderId: 'O-1', qty: 5 } });
    const result = await handle.result();
    await recordHistory(handle, 'receive-match-dedupe-timeout');
    const { steps } = await handle.query(stateQuery);
    expect(steps.stock).toEqual({ payload: { orderId: 'O-1', qty: 5 }, eventId: 'e3', timedOut: false });
    expect(steps.moreStock).toEqual({ payload: null, timedOut: true });
    expect(result.vars).toEqual({ gaveUp: true });
    const timeline = await handle.query(timelineQuery);
    const idsOf = (type: string) =>
      timeline.filter((entry) => entry.type === type).map((entry) => (entry.detail as { eventId: string }).eventId);
    expect(idsOf('event.received')).toEqual(['e1', 'e3']);
    // No receive of the plan takes other.event: dropped, not held.
    expect(idsOf('event.ignored')).toEqual(['e2']);
    expect((await handle.query(stateQuery)).bufferedEvents).toEqual([
      { event: 'stock.received', eventId: 'e1', payload: { orderId: 'O-2', qty: 1 } },
    ]);
  });

  it('receive without buffer ignores an event that came before it; buffer takes it', async () => {
    const plan = (buffer: boolean) =>
      definePlan(`receive-window-${buffer}`, [
        wait('first', { durationMs: HOUR }),
        receive('reopened', 'ticket.reopened', {
          timeoutMs: 24 * HOUR,
          onTimeout: [set('quiet', { quiet: true })],
          ...(buffer ? { buffer: { after: null } } : {}),
        }),
      ]);
    const early = { event: 'ticket.reopened', eventId: 'r1', payload: { reason: 'too early' } };

    const strict = await harness.start(plan(false));
    await strict.signal(eventSignal, early);
    expect((await strict.result()).vars).toEqual({ quiet: true });
    await recordHistory(strict, 'receive-ignores-early-event');
    expect((await strict.query(stateQuery)).steps.reopened).toEqual({ payload: null, timedOut: true });
    const ignored = (await strict.query(timelineQuery)).filter((entry) => entry.type === 'event.ignored');
    expect(ignored.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ event: 'ticket.reopened', eventId: 'r1' }),
    ]);

    const buffered = await harness.start(plan(true));
    await buffered.signal(eventSignal, early);
    expect((await buffered.result()).vars).toEqual({});
    expect((await buffered.query(stateQuery)).steps.reopened).toMatchObject({ eventId: 'r1', timedOut: false });
  });

  it('buffer after a step takes only what arrived since that step finished', async () => {
    const plan = definePlan('receive-after-step', [
      wait('open', { durationMs: HOUR }),
      call('resolved', 'test.echo', { done: true }),
      wait('mailing', { durationMs: HOUR }),
      receive('reply', 'ticket.reopened', { timeoutMs: 24 * HOUR, buffer: { after: 'resolved' } }),
    ]);
    const handle = await harness.start(plan);
    await handle.signal(eventSignal, { event: 'ticket.reopened', eventId: 'before', payload: { n: 1 } });
    await harness.env.sleep(HOUR + HOUR / 2);
    await handle.signal(eventSignal, { event: 'ticket.reopened', eventId: 'after', payload: { n: 2 } });
    await handle.result();
    await recordHistory(handle, 'receive-buffer-after-step');
    const state = await handle.query(stateQuery);
    expect(state.steps.reply).toEqual({ payload: { n: 2 }, eventId: 'after', timedOut: false });
    // Before `resolved` had ever finished no window could hold it: ignored as it arrived.
    expect(state.bufferedEvents).toEqual([]);
    const ignored = (await handle.query(timelineQuery)).filter((entry) => entry.type === 'event.ignored');
    expect(ignored.map((entry) => (entry.detail as { eventId: string }).eventId)).toEqual(['before']);
  });

  it('a receive drops the kept events that came before its window', async () => {
    const plan = definePlan('receive-drops-stale', [
      call('resolved', 'test.echo', { round: 1 }),
      wait('quiet', { durationMs: HOUR }),
      call('resolvedAgain', 'test.echo', { round: 2 }),
      wait('mailing', { durationMs: HOUR }),
      receive('reply', 'ticket.reopened', { timeoutMs: HOUR, buffer: { after: 'resolvedAgain' } }),
      receive('late', 'ticket.reopened', {
        timeoutMs: HOUR,
        buffer: { after: 'resolved' },
        onTimeout: [set('none', { none: true })],
      }),
    ]);
    const handle = await harness.start(plan);
    await harness.env.sleep(HOUR / 2);
    // After `resolved` finished: kept, as a receive buffering after it may come.
    await handle.signal(eventSignal, { event: 'ticket.reopened', eventId: 'stale', payload: { n: 1 } });
    await harness.env.sleep(2 * HOUR);
    await handle.signal(eventSignal, { event: 'ticket.reopened', eventId: 'fresh', payload: { n: 2 } });
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.steps.reply).toMatchObject({ eventId: 'fresh' });
    // `reply` started after resolvedAgain: the stale one was before its window, dropped then; `late` finds nothing.
    expect(state.steps.late).toEqual({ payload: null, timedOut: true });
    expect(state.bufferedEvents).toEqual([]);
    const ignored = (await handle.query(timelineQuery)).filter((entry) => entry.type === 'event.ignored');
    expect(ignored.map((entry) => (entry.detail as { eventId: string }).eventId)).toEqual(['stale']);
  });

  it('receive waits for an event that arrives later', async () => {
    const plan = definePlan('receive-later', [receive('paid', 'invoice.paid', { timeoutMs: 7 * 24 * HOUR })]);
    const handle = await harness.start(plan);
    await harness.env.sleep(2 * 24 * HOUR);
    await handle.signal(eventSignal, { event: 'invoice.paid', eventId: 'p1', payload: { amount: 10 } });
    await handle.result();
    expect((await handle.query(stateQuery)).steps.paid).toEqual({
      payload: { amount: 10 },
      eventId: 'p1',
      timedOut: false,
    });
  });

  it('receive without onTimeout fails with receive.timeout', async () => {
    const plan = definePlan('receive-timeout', [receive('never', 'never.comes', { timeoutMs: HOUR })]);
    const handle = await harness.start(plan);
    // Time skips only while a test awaits a result: the timeout has to be slept through here.
    await harness.env.sleep(HOUR + 1000);
    expect(await failIncident(handle)).toMatchObject({ stepId: 'never', code: 'receive.timeout' });
    const error = (await handle.result().catch((failure: unknown) => failure)) as WorkflowFailedError;
    expect((error.cause as ApplicationFailure).type).toBe('receive.timeout');
    await recordHistory(handle, 'receive-timeout-fails');
  });
});
