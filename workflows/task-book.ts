import type { TaskStep } from '../dsl/plan';
import type { TaskCompletion, TaskView } from '../contracts/engine';

/** One human task as the workflow tracks it. */
export interface TaskRecord {
  view: TaskView;
  step: TaskStep;
  /**
   * False until engine.openTask has returned. A completion may be accepted before (the inbox can
   * show the row a moment before the workflow hears back), but it is projected only after.
   */
  projected: boolean;
  /** openTask failed or was never reached: nothing to project against. */
  openFailed: boolean;
  completion: TaskCompletion | null;
  /** Four-eyes: who may not decide this task (the step's `excludeUsers`, rendered when it opened). */
  excluded: string[];
}

/** Every task this run has opened, by task id; the Update validators read it synchronously. */
export class TaskBook {
  private readonly records = new Map<string, TaskRecord>();

  add(view: TaskView, step: TaskStep, excluded: string[] = []): TaskRecord {
    const record: TaskRecord = { view, step, projected: false, openFailed: false, completion: null, excluded };
    this.records.set(view.taskId, record);
    return record;
  }

  get(taskId: string): TaskRecord | undefined {
    return this.records.get(taskId);
  }

  open(): TaskRecord[] {
    return [...this.records.values()].filter((record) => record.view.status === 'open');
  }

  views(): TaskView[] {
    return [...this.records.values()].map((record) => ({
      ...record.view,
      candidateUsers: [...record.view.candidateUsers],
    }));
  }
}
