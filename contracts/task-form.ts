import type { FormSchema } from '../dsl/plan';

/**
 * Whether completing a task needs someone to fill in its form: a field is required. Such a task
 * is not completed in bulk nor from a mail's one-click link; its outcome is chosen on its page.
 */
export function formRequiresInput(form: FormSchema | null | undefined): boolean {
  return (form?.required ?? []).length > 0;
}
