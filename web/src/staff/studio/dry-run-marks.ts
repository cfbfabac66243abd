import type { DryRunResult } from './dry-run-api';

/** How far a run got at a step, as the diagram marks it. */
export type StepState = 'done' | 'current' | 'waiting' | 'failed' | 'skipped';

const STATE_OF: Record<DryRunResult['steps'][number]['status'], StepState> = {
  completed: 'done',
  failed: 'failed',
  skipped: 'skipped',
  running: 'current',
};

const shorten = (value: unknown, max = 240) => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/**
 * The path a dry run took, as the diagram marks it: each step's last state (a loop's last
 * iteration wins, a failure anywhere stays), where it waits, and its values as notes.
 */
export function diagramMarksOf(result: DryRunResult): {
  stepStates: Record<string, StepState>;
  stepNotes: Record<string, string>;
} {
  const stepStates: Record<string, StepState> = {};
  const notes: Record<string, string[]> = {};
  for (const step of result.steps) {
    if (stepStates[step.path] !== 'failed') stepStates[step.path] = STATE_OF[step.status];
    if (step.result !== undefined) {
      const iteration = step.iteration && step.iteration !== '0' ? `[${step.iteration}] ` : '';
      (notes[step.path] ??= []).push(`${iteration}${shorten(step.result)}`);
    }
  }
  for (const waiting of result.waitingAt) {
    stepStates[waiting.path] = 'waiting';
    if (waiting.detail) (notes[waiting.path] ??= []).push(waiting.detail);
  }
  const stepNotes = Object.fromEntries(
    Object.entries(notes).map(([path, lines]) => [path, lines.slice(-5).join('\n')]),
  );
  return { stepStates, stepNotes };
}
