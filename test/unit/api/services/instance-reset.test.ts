import { describe, expect, it } from '@jest/globals';
import { lastGoodPoint } from '../../../../api/services/instance-reset';

// The start and the run's failure matter only as events lastGoodPoint passes over.
const started = { eventId: 1 };
const completed = (eventId: number) => ({ eventId, workflowTaskCompletedEventAttributes: {} });
const scheduled = (eventId: number, by: number) => ({
  eventId,
  activityTaskScheduledEventAttributes: { workflowTaskCompletedEventId: by },
});

/** The point a failed instance is run again from. */
describe('lastGoodPoint', () => {
  it('is the workflow task that scheduled the last failed activity', () => {
    const events = [
      started,
      completed(4),
      scheduled(5, 4),
      { eventId: 7, activityTaskCompletedEventAttributes: { scheduledEventId: 5 } },
      completed(10),
      scheduled(11, 10),
      { eventId: 13, activityTaskFailedEventAttributes: { scheduledEventId: 11 } },
      completed(16),
      { eventId: 17, activityTaskFailedEventAttributes: null },
    ];
    expect(lastGoodPoint(events)).toBe(10);
  });

  it('counts a timed-out activity as failed', () => {
    const events = [
      started,
      completed(4),
      scheduled(5, 4),
      { eventId: 7, activityTaskTimedOutEventAttributes: { scheduledEventId: 5 } },
      completed(10),
    ];
    expect(lastGoodPoint(events)).toBe(4);
  });

  it('is the last workflow task when no activity failed (a fail step), and null without any', () => {
    expect(
      lastGoodPoint([started, completed(4), completed(8), { eventId: 9, activityTaskFailedEventAttributes: null }]),
    ).toBe(8);
    expect(lastGoodPoint([started])).toBeNull();
  });
});
