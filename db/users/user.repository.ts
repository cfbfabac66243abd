import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { queryKeysetPage } from '../repositories/keyset-page';
import type { Page } from '../repositories/page-cursor';
import { EngineUser } from './user.entity';
import { ROUTING_KEYS, type CreateUserInput, type UpdateUserInput, type User } from './user.schema';
import { recordChange } from '../repositories/audit-log';
import { credentialChanged } from '../auth/credential-changes';

export interface UserFilters {
  role?: string;
  region?: string;
  cursor?: string;
  limit?: number;
}

/** A user row as seeds and the admin write it: everything but the activity flag and timestamps. */
export interface NewStoredUser {
  id: string;
  name: string;
  email: string;
  roles: readonly string[];
  attributes: Record<string, Json>;
  managerId: string | null;
}

/**
 * Engine users: sign-in accounts, candidate lookups for task routing and mail, and the
 * user records the API manages. The only reader and writer of engine_user. Unlike the CRM
 * repositories it takes the EntityManager per call: the API keeps one instance in its context
 * for every request, and the engine passes each call its own fork.
 */
/**
 * The name of the user whose id is `idSql` (a column of the caller's row), as a scalar subquery:
 * lists that show people's names read them in their own statement instead of a second round trip.
 */
export function userNameSql(idSql: string): string {
  return `(select name from engine_user where id = ${idSql})`;
}

/**
 * Where an API process keeps the teams it has read (api/services/principal-cache.ts: only while
 * it hears every change of a user). Without one, every call reads the database.
 */
export interface TeamMemo {
  team(managerId: string, region: string | null, read: () => Promise<string[]>): Promise<string[]>;
}

export class UserRepository {
  constructor(private readonly options: { teams?: TeamMemo } = {}) {}

  /**
   * The account an e-mail signs in to: a user with a password and this address (case-insensitive;
   * unique among users with a password), active or not, with its password hash. Raw SQL: the
   * lookup is the unique index on lower(email).
   */
  async findSignInAccount(
    em: EntityManager,
    email: string,
  ): Promise<{ user: EngineUser; passwordHash: string } | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      'select * from engine_user where lower(email) = lower(?) and password_hash is not null',
      [email],
    );
    if (!row) return null;
    return { user: em.map(EngineUser, row), passwordHash: row.password_hash as string };
  }

  /** The user's password hash (null: none set), or undefined when there is no such user. */
  async passwordHashOf(em: EntityManager, id: string): Promise<string | null | undefined> {
    const [row] = await em.execute<{ password_hash: string | null }[]>(
      'select password_hash from engine_user where id = ?',
      [id],
    );
    return row ? row.password_hash : undefined;
  }

  /**
   * Sets the user's password hash; false if there is no such user. Throws
   * UniqueConstraintViolationException when another user with a password has the same e-mail.
   */
  async setPasswordHash(em: EntityManager, id: string, passwordHash: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      'update engine_user set password_hash = ? where id = ? returning id',
      [passwordHash, id],
    );
    return rows.length > 0;
  }

  /** Gives these users the password hash unless they have one (the demo people's well-known password). */
  async setMissingPasswordHashes(em: EntityManager, ids: readonly string[], passwordHash: string): Promise<void> {
    if (ids.length === 0) return;
    await em.execute('update engine_user set password_hash = ? where id in (?) and password_hash is null', [
      passwordHash,
      [...ids],
    ]);
  }

  async get(em: EntityManager, id: string): Promise<EngineUser | null> {
    return em.findOne(EngineUser, { id });
  }

  async exists(em: EntityManager, id: string): Promise<boolean> {
    return (await em.count(EngineUser, { id })) > 0;
  }

  /** The users with these ids that exist (any order; unknown ids are left out). */
  async findByIds(em: EntityManager, ids: readonly string[]): Promise<EngineUser[]> {
    if (ids.length === 0) return [];
    return em.find(EngineUser, { id: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
  }

  /**
   * The active users with these addresses (case-insensitive), for mails that go to addresses but
   * speak to a person (their name, language, links that act as them). Raw SQL: lower(email).
   */
  async findActiveByEmails(em: EntityManager, emails: readonly string[]): Promise<EngineUser[]> {
    if (emails.length === 0) return [];
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from engine_user
        where active and lower(email) in (select jsonb_array_elements_text(?::jsonb)) order by id`,
      [JSON.stringify(emails.map((email) => email.trim().toLowerCase()))],
    );
    return rows.map((row) => em.map(EngineUser, row));
  }

  /** Active users holding at least one of the roles, by id: whom work of those roles can go to. */
  async listActiveWithRoles(em: EntityManager, roles: readonly string[]): Promise<EngineUser[]> {
    if (roles.length === 0) return [];
    return em.find(EngineUser, { active: true, roles: { $overlap: [...roles] } }, { orderBy: { id: 'asc' } });
  }

  /**
   * Active users holding `role` whose attributes satisfy `where` (see `engine_attributes_match`:
   * a scalar condition equals the attribute or is one of its values; an array condition is any of).
   * Raw SQL: the match is that database function.
   */
  async listByRole(em: EntityManager, role: string, where: Record<string, Json> = {}): Promise<EngineUser[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from engine_user
        where active and roles @> array[?]::text[] and engine_attributes_match(attributes, ?::jsonb)
        order by id`,
      [role, JSON.stringify(where)],
    );
    return rows.map((row) => em.map(EngineUser, row));
  }

  /**
   * A manager's team: the manager, the people whose manager they are and, when the manager has a
   * region, the people of that region. Raw SQL: the region is inside the attributes JSON.
   */
  listTeamIds(em: EntityManager, managerId: string, region: string | null): Promise<string[]> {
    const read = async () => {
      const rows = await em.execute<{ id: string }[]>(
        `select id from engine_user
          where id = ? or manager_id = ? or (?::text is not null and attributes->>'region' = ?)
          order by id`,
        [managerId, managerId, region, region],
      );
      return rows.map((row) => row.id);
    };
    return this.options.teams ? this.options.teams.team(managerId, region, read) : read();
  }

  /** Every role some user holds: the roles templates may name (the linter checks them). Raw SQL: unnest. */
  async listRoles(em: EntityManager): Promise<string[]> {
    const rows = await em.execute<{ role: string }[]>(
      'select distinct unnest(roles) as role from engine_user order by role',
    );
    return rows.map((row) => row.role);
  }

  list(em: EntityManager, filters: UserFilters): Promise<Page<EngineUser>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.role !== undefined) {
      where.push('? = any(roles)');
      params.push(filters.role);
    }
    if (filters.region !== undefined) {
      where.push(`attributes->>'region' = ?`);
      params.push(filters.region);
    }
    return queryKeysetPage(em, {
      entity: EngineUser,
      table: 'engine_user',
      orderColumn: 'created_at',
      where,
      params,
      cursor: filters.cursor,
      limit: filters.limit,
    });
  }

  /**
   * Adds the users whose ids are not taken, leaving existing rows as they are (an operator may have
   * changed them); one statement, so concurrent starts cannot clash. Returns the ids added.
   */
  async insertMissing(em: EntityManager, users: readonly NewStoredUser[]): Promise<string[]> {
    const added: string[] = [];
    for (const user of users) {
      const result = await em
        .createQueryBuilder(EngineUser)
        .insert({ ...user, roles: [...user.roles], active: true })
        .onConflict('id')
        .ignore()
        .execute('run');
      if (result.affectedRows > 0) {
        added.push(user.id);
        await recordChange(em, { action: 'EngineUser.create', subject: `engine_user:${user.id}`, after: { ...user } });
        // A new user may join a team kept in memory (their manager's, their region's).
        credentialChanged({ kind: 'user', id: user.id });
      }
    }
    return added;
  }

  /** Creates the user, or activates the existing one again (the deployment's `ADMIN_API_KEY` admin). */
  async upsertActive(em: EntityManager, user: NewStoredUser): Promise<void> {
    await em
      .createQueryBuilder(EngineUser)
      .insert({ ...user, roles: [...user.roles], active: true })
      .onConflict('id')
      .merge(['active'])
      .execute('run');
    await recordChange(em, {
      action: 'EngineUser.upsert-active',
      subject: `engine_user:${user.id}`,
      after: { active: true },
    });
    credentialChanged({ kind: 'user', id: user.id });
  }

  /** A new active user; null when the id is taken. */
  async create(em: EntityManager, id: string, input: CreateUserInput): Promise<EngineUser | null> {
    const user = em.create(EngineUser, {
      id,
      name: input.name,
      email: input.email,
      roles: [...input.roles],
      attributes: routingAttributes(input),
      managerId: input.managerId ?? null,
      active: true,
    });
    try {
      await em.flush();
      // A new user may join a team kept in memory (their manager's, their region's).
      credentialChanged({ kind: 'user', id });
      return user;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return null;
      throw error;
    }
  }

  /** Changes the given fields; routing attributes are merged into the stored ones. Null if there is no such user. */
  async update(em: EntityManager, id: string, input: UpdateUserInput): Promise<EngineUser | null> {
    const updated = await em.transactional(async (tx) => {
      // Locked: two changes of different attributes at once must both be kept.
      const user = await tx.findOne(EngineUser, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!user) return null;
      if (input.name !== undefined) user.name = input.name;
      if (input.email !== undefined) user.email = input.email;
      if (input.roles !== undefined) user.roles = [...input.roles];
      if (input.managerId !== undefined) user.managerId = input.managerId;
      if (input.active !== undefined) user.active = input.active;
      user.attributes = { ...user.attributes, ...routingAttributes(input) };
      return user;
    });
    credentialChanged({ kind: 'user', id });
    return updated;
  }

  /** Saves the user's language (null: none, the browser's decides); null if there is no such user. */
  async setLocale(em: EntityManager, id: string, locale: string | null): Promise<EngineUser | null> {
    const updated = await em.transactional(async (tx) => {
      // Locked like update: a concurrent change of another attribute must be kept.
      const user = await tx.findOne(EngineUser, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!user) return null;
      const { locale: _previous, ...others } = user.attributes;
      user.attributes = locale === null ? others : { ...others, locale };
      return user;
    });
    credentialChanged({ kind: 'user', id });
    return updated;
  }

  toRecord(user: EngineUser): User {
    const attributes = user.attributes;
    const text = (value: Json | undefined) => (typeof value === 'string' ? value : null);
    const list = (value: Json | undefined) =>
      Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      roles: user.roles,
      managerId: user.managerId ?? null,
      active: user.active,
      region: text(attributes['region']),
      productLines: list(attributes['productLines']),
      skills: list(attributes['skills']),
      capacity: typeof attributes['capacity'] === 'number' ? attributes['capacity'] : null,
      locale: text(attributes['locale']),
      attributes,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

/** The routing attributes present in a create or update, as stored in engine_user.attributes. */
function routingAttributes(input: Pick<Partial<CreateUserInput>, (typeof ROUTING_KEYS)[number]>): Record<string, Json> {
  const attributes: Record<string, Json> = {};
  for (const key of ROUTING_KEYS) if (input[key] !== undefined) attributes[key] = input[key];
  return attributes;
}
