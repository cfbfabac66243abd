import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../repositories/audit-log';
import type { SignedLink } from './signed-link';
import { SignedLinkUse } from './signed-link-use.entity';

/** The used single-use links: the only reader and writer of signed_link_use. */
export class SignedLinkUseRepository {
  async findUse(em: EntityManager, jti: string): Promise<SignedLinkUse | null> {
    return em.findOne(SignedLinkUse, { jti }, { refresh: true });
  }

  /**
   * Marks the link used in the caller's transaction; false when it was used before. One statement
   * (insert … on conflict do nothing): a concurrent use of the same link waits for the first
   * transaction and then finds the id taken, where a unit-of-work insert would abort it instead.
   */
  async markUsed(em: EntityManager, link: SignedLink, at: Date = new Date()): Promise<boolean> {
    const rows = await em.execute<{ jti: string }[]>(
      `insert into signed_link_use (jti, used_at, kind, subject) values (?, ?::timestamptz, ?, ?)
        on conflict (jti) do nothing returning jti`,
      [link.id, at.toISOString(), link.kind, link.subject],
    );
    if (rows.length === 0) return false;
    await recordChange(em, {
      action: 'SignedLinkUse.create',
      subject: `signed_link_use:${link.id}`,
      after: { kind: link.kind, subject: link.subject, action: link.action, recipient: link.recipient },
    });
    return true;
  }
}
