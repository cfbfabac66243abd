import type { TFunction } from 'i18next';

/** A role's name in the UI language; a role the app does not know (a newer server's) shows its id. */
export function roleLabel(t: TFunction, role: string): string {
  return t(`common.roles.${role}`, { defaultValue: role });
}

/** Who may take an unassigned task: its candidate role's name, else the people it names. */
export function candidatesLabel(
  t: TFunction,
  task: { candidateRole: string | null; candidateUsers: string[] },
): string {
  return task.candidateRole !== null ? roleLabel(t, task.candidateRole) : task.candidateUsers.join(', ');
}
