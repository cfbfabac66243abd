import { patched } from '@temporalio/workflow';
import type { RunProcessInput } from './messages';

/**
 * The patches that existed when RunProcessInput.projectedStart was introduced. `2026-12-incidents`:
 * runs started before it hold no incidents (a failure with nobody to handle it fails them).
 */
export type PatchBeforeProjectedStart =
  'runtime-budgets' | '2026-12-event-windows' | '2026-12-incidents' | '2026-12-out-of-office';

/**
 * `patched(id)` for a patch older than `projectedStart`: a run started with that field was started
 * on code that already had the patch, so it takes the new path without recording the patch's
 * marker (a history event, per patch, in every instance). Runs without the field ask patched() as
 * before, so their histories replay unchanged. A patch added later uses patched() itself.
 */
export function hasPatch(args: RunProcessInput, id: PatchBeforeProjectedStart): boolean {
  return args.projectedStart !== undefined || patched(id);
}
