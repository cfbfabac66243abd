import type { Json } from '../dsl/plan';
import type { TimelineEntry } from '../contracts/engine';

/** How many entries the timeline query keeps in memory; the projection in PostgreSQL has them all. */
const RETAINED_ENTRIES = 2000;

/**
 * The instance's timeline: entries get a monotonic `seq` (carried across continue-as-new) and
 * wait in memory until the next projection flush sends them in one batch.
 */
export class Timeline {
  private readonly entries: TimelineEntry[] = [];
  private pending: TimelineEntry[] = [];

  constructor(private seq = 0) {}

  get lastSeq(): number {
    return this.seq;
  }

  add(type: TimelineEntry['type'], fields: { stepId?: string; path?: string; detail?: Json } = {}): TimelineEntry {
    const entry = this.retain({ seq: ++this.seq, at: new Date().toISOString(), type, ...fields });
    this.pending.push(entry);
    return entry;
  }

  /** An entry the starter already wrote, at its time: kept for the timeline query, never sent. */
  addWritten(type: TimelineEntry['type'], fields: { detail?: Json }, at: string): TimelineEntry {
    return this.retain({ seq: ++this.seq, at, type, ...fields });
  }

  private retain(entry: TimelineEntry): TimelineEntry {
    this.entries.push(entry);
    if (this.entries.length > RETAINED_ENTRIES) this.entries.splice(0, this.entries.length - RETAINED_ENTRIES);
    return entry;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Hands the unsent entries to a flush; `restore` puts them back if the flush failed. */
  takePending(): TimelineEntry[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  restore(entries: TimelineEntry[]): void {
    this.pending = [...entries, ...this.pending];
  }

  list(): TimelineEntry[] {
    return [...this.entries];
  }
}
