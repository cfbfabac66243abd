import type { ActivityAnswer, ChildAnswer, DryRunEvent, DryRunScenario, TaskAnswer } from '../contracts/dry-run';

/**
 * The scenario's answers, handed out per step id in order of the step's occurrences (retries of
 * an activity take the next one too); the last answer of a step repeats.
 */
export class ScenarioAnswers {
  private readonly taken = new Map<string, number>();
  private readonly usedTasks = new Map<string, Set<number>>();
  /** Events not delivered yet, in the scenario's order. */
  readonly events: (DryRunEvent & { index: number })[];

  constructor(private readonly scenario: DryRunScenario) {
    this.events = (scenario.events ?? []).map((event, index) => ({ ...event, index }));
  }

  activity(stepId: string): ActivityAnswer | undefined {
    return this.next('activity', stepId, this.scenario.activities?.[stepId]);
  }

  /**
   * The answer for the occurrence `iteration` of a task step: the one naming that iteration, else
   * the next one naming none; `index` orders answers due at the same moment.
   */
  task(stepId: string, iteration: string): { answer: TaskAnswer; index: number } | undefined {
    const answers = this.scenario.tasks?.[stepId];
    if (!answers || answers.length === 0) return undefined;
    const used = this.usedTasks.get(stepId) ?? new Set<number>();
    this.usedTasks.set(stepId, used);
    let index = answers.findIndex((answer, at) => !used.has(at) && answer.iteration === iteration);
    if (index < 0) index = answers.findIndex((answer, at) => !used.has(at) && answer.iteration === undefined);
    if (index < 0) index = answers.length - 1;
    used.add(index);
    return { answer: answers[index]!, index };
  }

  child(stepId: string): ChildAnswer | undefined {
    return this.next('child', stepId, this.scenario.children?.[stepId]);
  }

  /** True when the step's answers are used up, so its last one repeats from now on. */
  repeatsLast(kind: 'activity' | 'task' | 'child', stepId: string, answers: readonly unknown[] | undefined): boolean {
    return (this.taken.get(`${kind}:${stepId}`) ?? 0) >= (answers?.length ?? 0);
  }

  activityAnswers(stepId: string): readonly ActivityAnswer[] | undefined {
    return this.scenario.activities?.[stepId];
  }

  takeEvent(index: number): void {
    const at = this.events.findIndex((event) => event.index === index);
    if (at >= 0) this.events.splice(at, 1);
  }

  private next<T>(kind: string, stepId: string, answers: readonly T[] | undefined): T | undefined {
    if (!answers || answers.length === 0) return undefined;
    const key = `${kind}:${stepId}`;
    const count = this.taken.get(key) ?? 0;
    this.taken.set(key, count + 1);
    return answers[Math.min(count, answers.length - 1)];
  }
}
