import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaskRow } from '../../db/entities';
import { UserRepository } from '../../db/repositories';

/** A plain address is used as it is; anything else is a user id. */
const isAddress = (value: string) => value.includes('@');

function uniqueAddresses(addresses: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const address of addresses) {
    const normal = address.trim().toLowerCase();
    if (normal && !seen.has(normal)) seen.set(normal, address.trim());
  }
  return [...seen.values()];
}

/**
 * Who hears about a task: its assignee if it has one, else every candidate (the named users
 * and the active holders of the candidate role whose attributes match `candidateWhere`).
 * Inactive and unknown users, and those the four-eyes rule excludes, are left out.
 */
export async function taskRecipients(em: EntityManager, task: TaskRow): Promise<string[]> {
  if (task.assignee) return userAddresses(em, [task.assignee]);
  const excluded = new Set(task.excludedUsers ?? []);
  const named = await userAddresses(
    em,
    task.candidateUsers.filter((id) => !excluded.has(id)),
  );
  const byRole = task.candidateRole
    ? await new UserRepository().listByRole(em, task.candidateRole, task.candidateWhere)
    : [];
  return uniqueAddresses([...named, ...byRole.filter((user) => !excluded.has(user.id)).map((user) => user.email)]);
}

/** Escalation recipients: user ids resolve to their address, e-mail addresses stay as they are. */
export async function listedRecipients(em: EntityManager, listed: readonly string[]): Promise<string[]> {
  const found = await new UserRepository().findByIds(em, [...new Set(listed.filter((entry) => !isAddress(entry)))]);
  const addressOf = new Map(found.filter((user) => user.active).map((user) => [user.id, user.email]));
  return uniqueAddresses(
    listed.flatMap((entry) => {
      if (isAddress(entry)) return [entry];
      const address = addressOf.get(entry);
      return address ? [address] : [];
    }),
  );
}

async function userAddresses(em: EntityManager, ids: readonly string[]): Promise<string[]> {
  const found = await new UserRepository().findByIds(em, [...new Set(ids)]);
  return uniqueAddresses(found.filter((user) => user.active).map((user) => user.email));
}
