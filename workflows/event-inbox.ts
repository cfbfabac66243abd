import type { InstanceEvent } from '../contracts/engine';

/**
 * The external events the instance has received and not yet given to a `receive`. Each is numbered
 * in order of arrival, so a receive can take only those that arrived within its window (see
 * {@link ProcessInstance.eventWindowStart}). Resent events (same eventId) are dropped.
 */
export class EventInbox {
  private readonly seen: Set<string>;
  private readonly buffer: { event: InstanceEvent; arrival: number }[];
  /** Bumped on every accepted event: the arrival number of the newest one. */
  version = 0;

  /** Events carried over from an earlier run arrived before anything this run numbers: arrival 0. */
  constructor(buffered: InstanceEvent[] = [], seenIds: string[] = []) {
    this.buffer = buffered.map((event) => ({ event, arrival: 0 }));
    this.seen = new Set([...seenIds, ...buffered.map((event) => event.eventId)]);
  }

  accept(event: InstanceEvent): boolean {
    if (this.seen.has(event.eventId)) return false;
    this.seen.add(event.eventId);
    this.version++;
    this.buffer.push({ event, arrival: this.version });
    return true;
  }

  /** Forgets an accepted event no receive will take; its id stays seen, so a resend is dropped too. */
  drop(eventId: string): void {
    const index = this.buffer.findIndex((entry) => entry.event.eventId === eventId);
    if (index >= 0) this.buffer.splice(index, 1);
  }

  /** Removes and returns the first event that arrived after `since` for which `matches` is true. */
  take(matches: (event: InstanceEvent) => boolean, since = -1): InstanceEvent | undefined {
    const index = this.buffer.findIndex((entry) => entry.arrival > since && matches(entry.event));
    if (index < 0) return undefined;
    return this.buffer.splice(index, 1)[0]!.event;
  }

  /** Removes and returns every event that arrived up to `until` for which `matches` is true. */
  takeAll(matches: (event: InstanceEvent) => boolean, until: number): InstanceEvent[] {
    const taken: InstanceEvent[] = [];
    for (let index = this.buffer.length - 1; index >= 0; index--) {
      const entry = this.buffer[index]!;
      if (entry.arrival <= until && matches(entry.event))
        taken.unshift(...this.buffer.splice(index, 1).map((e) => e.event));
    }
    return taken;
  }

  buffered(): InstanceEvent[] {
    return this.buffer.map((entry) => entry.event);
  }

  seenIds(): string[] {
    return [...this.seen];
  }
}
