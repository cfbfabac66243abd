import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../repositories/audit-log';
import { OutOfOffice } from './out-of-office.entity';

export interface OutOfOfficeRule {
  userId: string;
  startsAt: Date;
  endsAt: Date;
  delegateId: string;
}

/** Out-of-office rules: the only reader and writer of out_of_office. */
export class OutOfOfficeRepository {
  async get(em: EntityManager, userId: string): Promise<OutOfOffice | null> {
    return em.findOne(OutOfOffice, { userId }, { refresh: true });
  }

  /**
   * Sets the person's rule, replacing the one they had. One statement (insert … on conflict
   * update) so two concurrent saves leave one rule, the later one.
   */
  async put(em: EntityManager, rule: OutOfOfficeRule): Promise<OutOfOffice> {
    await em
      .createQueryBuilder(OutOfOffice)
      .insert({ ...rule, createdAt: new Date() })
      .onConflict('userId')
      .merge(['startsAt', 'endsAt', 'delegateId', 'createdAt'])
      .execute('run');
    await recordChange(em, {
      action: 'OutOfOffice.put',
      subject: `out_of_office:${rule.userId}`,
      after: { startsAt: rule.startsAt.toISOString(), endsAt: rule.endsAt.toISOString(), delegateId: rule.delegateId },
    });
    return (await this.get(em, rule.userId)) as OutOfOffice;
  }

  /** True when there was a rule to remove. */
  async remove(em: EntityManager, userId: string): Promise<boolean> {
    const removed = (await em.nativeDelete(OutOfOffice, { userId })) > 0;
    if (removed) await recordChange(em, { action: 'OutOfOffice.remove', subject: `out_of_office:${userId}` });
    return removed;
  }

  /**
   * Who takes a task that opens for `userId` at `at`: the delegate of the rule in force then, if
   * the delegate is an active user. One hop: the delegate's own absence is not followed, so two
   * people covering for each other cannot send a task round in a circle. Raw SQL: the rule and
   * the delegate's state are read in one statement.
   */
  async delegateAt(em: EntityManager, userId: string, at: Date): Promise<string | null> {
    const rows = await em.execute<{ delegate_id: string }[]>(
      `select o.delegate_id from out_of_office o join engine_user d on d.id = o.delegate_id
        where o.user_id = ? and o.starts_at <= ?::timestamptz and o.ends_at > ?::timestamptz and d.active`,
      [userId, at.toISOString(), at.toISOString()],
    );
    return rows[0]?.delegate_id ?? null;
  }

  /** The ids among `userIds` who are away at `at` (least-loaded routing passes over them). */
  async absentAt(em: EntityManager, userIds: readonly string[], at: Date): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await em.execute<{ user_id: string }[]>(
      `select user_id from out_of_office where user_id in (?) and starts_at <= ?::timestamptz and ends_at > ?::timestamptz`,
      [[...userIds], at.toISOString(), at.toISOString()],
    );
    return rows.map((row) => row.user_id);
  }
}
