import type { Json } from '../dsl/plan';

/**
 * Where a step runs: which results it writes, which outer results and loop variables its
 * expressions see, and the loop counters that make its task and child ids unique.
 *
 * - Sequences, `switch`, `repeat` and `onError` write into the enclosing results (a later
 *   step or an `until` reads `steps.<id>` directly).
 * - A forEach iteration and a parallel branch write into results of their own, seen on top of
 *   the outer ones; the loop / branch result collects them.
 */
export interface Frame {
  results: Record<string, Json>;
  /** Outer results, outermost first. */
  outer: Record<string, Json>[];
  /** Loop variable + `index`, `error` in an onError block, `event` in a match. */
  locals: Record<string, Json>;
  /** Counters of the enclosing repeat/forEach loops, outermost first. */
  iteration: number[];
  /** Compensation steps do not stack compensations of their own. */
  compensating: boolean;
  /** Inside a step with `onError` (or in `onFailure`): a failure goes up to it, never an incident. */
  guarded?: boolean;
  /** One mark per enclosing branch or concurrent loop that may be cut short, outermost first. */
  withdrawals?: readonly WithdrawalMark[];
}

/**
 * Set by a parallel or concurrent forEach just before it cancels branches it no longer needs
 * (`any`/`n` satisfied, `completion` true): a task cancelled under it is withdrawn, not cancelled
 * with the instance, and its people are told the decision is no longer needed.
 */
export interface WithdrawalMark {
  withdrawn: boolean;
}

/** True when the frame runs inside a branch or iteration that was cut short as no longer needed. */
export function isWithdrawn(frame: Frame): boolean {
  return frame.withdrawals?.some((mark) => mark.withdrawn) ?? false;
}

/** A frame of a branch or iteration that `mark` may withdraw. */
export function withdrawableFrame(frame: Frame, mark: WithdrawalMark): Frame {
  return { ...frame, withdrawals: [...(frame.withdrawals ?? []), mark] };
}

export function rootFrame(results: Record<string, Json>): Frame {
  return { results, outer: [], locals: {}, iteration: [], compensating: false };
}

/** A frame with its own results on top of the parent's (forEach iteration, parallel branch). */
export function nestedFrame(parent: Frame, locals: Record<string, Json> = {}, counter?: number): Frame {
  return {
    results: {},
    outer: [...parent.outer, parent.results],
    locals: { ...parent.locals, ...locals },
    iteration: counter === undefined ? parent.iteration : [...parent.iteration, counter],
    compensating: parent.compensating,
    ...(parent.guarded ? { guarded: true } : {}),
    ...(parent.withdrawals ? { withdrawals: parent.withdrawals } : {}),
  };
}

/** The same results with extra locals and/or one more loop counter (repeat, onError). */
export function extendFrame(parent: Frame, locals: Record<string, Json> = {}, counter?: number): Frame {
  return {
    ...parent,
    locals: { ...parent.locals, ...locals },
    iteration: counter === undefined ? parent.iteration : [...parent.iteration, counter],
  };
}

/** The `steps` an expression sees: inner results shadow outer ones. */
export function visibleResults(frame: Frame): Record<string, Json> {
  if (frame.outer.length === 0) return frame.results;
  return Object.assign({}, ...frame.outer, frame.results) as Record<string, Json>;
}

/** `@<iteration>` part of task and child ids: `0` outside loops, else the counters joined by dots. */
export function iterationKey(frame: Frame): string {
  return frame.iteration.length === 0 ? '0' : frame.iteration.join('.');
}
