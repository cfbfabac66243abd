import type { InstanceReach } from '../../db/repositories/instance-reach';

/**
 * The reach of a rep or a manager (as instanceReachOf gives it): the leads, quotes and orders of
 * `ownerIds` (themselves, or their team), no tickets, no survey invitations.
 */
export function ownersReach(userId: string, ownerIds: readonly string[]): InstanceReach {
  return {
    userId,
    leads: { ownerIds },
    quotes: { ownerIds },
    orders: { ownerIds },
    tickets: 'none',
    invitations: 'none',
  };
}
