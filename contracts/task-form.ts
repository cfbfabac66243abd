import type { FormSchema } from '../dsl/plan';

/**
 * Whether completing the task needs input: its form has a required field. Only a task that needs
 * none can be decided in one click (a mail's action link, a bulk completion).
 */
export function taskNeedsForm(form: FormSchema | null | undefined): boolean {
  return (form?.required?.length ?? 0) > 0;
}
