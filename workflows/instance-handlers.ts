import { setHandler } from '@temporalio/workflow';
import { installIncidentUpdates } from './incidents';
import { eventSignal, stateQuery, timelineQuery } from './messages';
import type { ProcessInstance } from './process-instance';
import { installTaskUpdates } from './task-updates';

/** Queries, the event signal and the task Updates: installed before the first step runs. */
export function installHandlers(instance: ProcessInstance): void {
  setHandler(stateQuery, () => instance.state());
  setHandler(timelineQuery, () => instance.timeline.list());
  setHandler(eventSignal, (event) => {
    if (!event || typeof event.event !== 'string' || typeof event.eventId !== 'string') return;
    if (!instance.events.accept({ event: event.event, eventId: event.eventId, payload: event.payload ?? null })) return;
    const detail = { event: event.event, eventId: event.eventId };
    if (instance.keepsEvent(event.event)) {
      instance.timeline.add('event.received', { detail });
      return;
    }
    // Held, it would act later on a record that has moved on (a reopen taken after the resolution).
    instance.events.drop(event.eventId);
    instance.timeline.add('event.ignored', { detail: { ...detail, reason: 'no receive was waiting for it' } });
  });
  installTaskUpdates(instance);
  installIncidentUpdates(instance);
}
