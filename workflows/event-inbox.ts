import type { InstanceEvent } from '../contracts/engine';

/**
 * Every external event the instance has received, from its start: a `receive` step takes the
 * first buffered one that matches, so an event that arrives before its step is not lost.
 * Resent events (same eventId) are dropped.
 */
export class EventInbox {
  private readonly seen: Set<string>;
  private readonly buffer: InstanceEvent[];
  /** Bumped on every accepted event, so waiting steps rescan only when something arrived. */
  version = 0;

  constructor(buffered: InstanceEvent[] = [], seenIds: string[] = []) {
    this.buffer = [...buffered];
    this.seen = new Set([...seenIds, ...buffered.map((event) => event.eventId)]);
  }

  accept(event: InstanceEvent): boolean {
    if (this.seen.has(event.eventId)) return false;
    this.seen.add(event.eventId);
    this.buffer.push(event);
    this.version++;
    return true;
  }

  /** Removes and returns the first buffered event for which `matches` is true. */
  take(matches: (event: InstanceEvent) => boolean): InstanceEvent | undefined {
    const index = this.buffer.findIndex(matches);
    if (index < 0) return undefined;
    return this.buffer.splice(index, 1)[0];
  }

  buffered(): InstanceEvent[] {
    return [...this.buffer];
  }

  seenIds(): string[] {
    return [...this.seen];
  }
}
