import { patched } from '@temporalio/workflow';
import type { RunProcessInput } from './messages';

/**
 * The patches a run decides one by one only when it was started before `2026-12-patches-at-start`
 * (and without RunProcessInput.projectedStart). `2026-12-incidents`: runs started before it hold
 * no incidents (a failure with nobody to handle it fails them).
 */
export type LegacyPatch = 'runtime-budgets' | '2026-12-event-windows' | '2026-12-incidents' | '2026-12-out-of-office';

/** Whether this run takes the new path of each legacy patch. */
export interface LegacyPatches {
  has(id: LegacyPatch): boolean;
}

/**
 * Decides, in the run's FIRST activation (the ProcessInstance constructor, before any await),
 * whether the run was started on code that already had every legacy patch:
 * - a run with `projectedStart` was (the field came later), and records no marker at all;
 * - any other new run (a child instance, a run started outside the API) records ONE marker,
 *   `2026-12-patches-at-start`, and takes every new path without asking patched() again;
 * - a run recorded before this marker existed replays without it (patched() is false) and asks
 *   patched(id) where it always did, so its history replays unchanged.
 *
 * Why at the start: patched() called after an await can answer false on replay although its
 * marker is in the history. Live, the continuation after a local activity may run in the NEXT
 * workflow task (a query or an Update opened one while the activity ran) and record the marker
 * there; on replay, SDK 1.24 resumes it within the task that recorded the activity, when core
 * has announced only that task's markers. The instance then takes the old path and replay fails
 * with "Non-deprecated patch marker encountered … but there is no corresponding change command"
 * (seen in 3 of 40 runs of a step held in incident). A marker recorded by the first activation is
 * always announced to the first activation.
 */
export function decideLegacyPatches(args: RunProcessInput): LegacyPatches {
  const startedOnPatchedCode = args.projectedStart !== undefined || patched('2026-12-patches-at-start');
  return { has: (id) => startedOnPatchedCode || patched(id) };
}
