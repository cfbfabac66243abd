import type { CarriedCompensation } from './messages';

/**
 * The saga's undo stack (temporalio/samples-typescript `saga`): a `call` with `compensate`
 * steps pushes them when it succeeds; failure or cancellation pops and runs them newest first.
 */
export class CompensationStack {
  private readonly entries: CarriedCompensation[];

  constructor(carried: CarriedCompensation[] = []) {
    this.entries = [...carried];
  }

  push(entry: CarriedCompensation): void {
    this.entries.push(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every stacked undo newest first; one that fails is reported and the rest still run. */
  async unwind(
    run: (entry: CarriedCompensation) => Promise<void>,
    onError: (entry: CarriedCompensation, error: unknown) => void,
  ): Promise<void> {
    for (let entry = this.entries.pop(); entry; entry = this.entries.pop()) {
      try {
        await run(entry);
      } catch (error) {
        onError(entry, error);
      }
    }
  }

  carry(): CarriedCompensation[] {
    return [...this.entries];
  }
}
