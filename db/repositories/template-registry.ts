import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcessPlan } from '../../dsl/plan';
import { TemplateDraft, TemplateVersion } from '../entities';
import { DomainError } from '../../contracts/failures';
import { recordChange } from './audit-log';

/**
 * The newest published version of every key as one JSON object (`{"<key>": <version>}`), written
 * as a scalar subquery so that a statement doing other work can read it too, without a round trip
 * of its own (raiseProcessEvent's claim for the request's dispatcher); read with newestVersionsOf.
 */
export const NEWEST_VERSIONS_SQL = `(select coalesce(json_object_agg(key, version), '{}'::json)
  from (select key, max(version) as version from template_version group by key) newest)`;

/** What NEWEST_VERSIONS_SQL reads as. */
export type NewestVersionsJson = Record<string, number>;

export function newestVersionsOf(json: NewestVersionsJson): Map<string, number> {
  return new Map(Object.entries(json).map(([key, version]) => [key, Number(version)]));
}

/** sha256 (hex) of a template's source: content equal to the newest version makes no new one. */
export function templateHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

export interface TemplateSummary {
  key: string;
  /** From the newest version's plan, else from the draft; null if neither knows it. */
  name: string | null;
  latestVersion: number | null;
  publishedAt: Date | null;
  draftUpdatedAt: Date | null;
}

export interface TemplateVersionSummary {
  key: string;
  version: number;
  hash: string;
  publishedAt: Date;
  publishedBy: string;
}

export interface RunningVersion {
  version: number;
  running: number;
  waiting: { stepId: string; count: number }[];
}

export interface PublishResult {
  version: number;
  /** False when this exact source is the newest version already: `version` is that one. */
  created: boolean;
  hash: string;
}

// Advisory locks of class (PUBLISH_LOCK_CLASS, hashtext(key)) serialise publishes per key;
// the class keeps them apart from the migration lock and any other user of advisory locks.
const PUBLISH_LOCK_CLASS = 7_233_002;

/** How TemplateRegistry.versionNames keys a version. */
export function versionNameKey(key: string, version: number): string {
  return `${key}@${version}`;
}

/** Template drafts and published versions; versions are numbered 1..N per key. */
export class TemplateRegistry {
  private readonly publishedNames = new Map<string, string | null>();

  async saveDraft(
    em: EntityManager,
    key: string,
    source: string,
    user: string,
    name: string | null = null,
  ): Promise<TemplateDraft> {
    const draft = await em.upsert(TemplateDraft, { key, name, source, updatedAt: new Date(), updatedBy: user });
    // The source itself stays in the draft (it can be large): the trail keeps its size and hash.
    await recordChange(em, {
      action: 'TemplateDraft.save',
      subject: `template_draft:${key}`,
      after: { name, length: source.length, sourceHash: templateHash(source) },
    });
    return draft;
  }

  async getDraft(em: EntityManager, key: string): Promise<TemplateDraft | null> {
    return em.findOne(TemplateDraft, { key });
  }

  /** Every key that has a draft or a published version, by key. */
  async listTemplates(em: EntityManager): Promise<TemplateSummary[]> {
    const rows = await em.execute<
      {
        key: string;
        name: string | null;
        latest_version: number | null;
        published_at: string | null;
        draft_updated_at: string | null;
      }[]
    >(
      `select k.key, coalesce(v.plan ->> 'name', d.name) as name, v.version as latest_version,
              v.published_at, d.updated_at as draft_updated_at
         from (select key from template_draft union select key from template_version) k
         left join lateral (select version, plan, published_at from template_version tv
                             where tv.key = k.key order by version desc limit 1) v on true
         left join template_draft d on d.key = k.key
        order by k.key`,
    );
    const date = (value: string | null) => (value === null ? null : em.getPlatform().parseDate(value));
    return rows.map((row) => ({
      key: row.key,
      name: row.name,
      latestVersion: row.latest_version,
      publishedAt: date(row.published_at),
      draftUpdatedAt: date(row.draft_updated_at),
    }));
  }

  /**
   * Freezes `source` (compiled to `plan`) as the key's next version, or returns the newest
   * version when it already has this content. Content of an older version becomes the next
   * version again (a rollback), so new instances start on it. Publishes of one key are
   * serialised by an advisory lock, so concurrent publishes of different content get distinct
   * consecutive numbers and concurrent publishes of the same content make one version.
   * `unlessPublishedBefore`: content that is ANY version already makes no new one (the built-in
   * files at start, which must not displace a version published through the API since).
   */
  async publish(
    em: EntityManager,
    key: string,
    plan: ProcessPlan,
    source: string,
    user: string,
    options: { unlessPublishedBefore?: boolean } = {},
  ): Promise<PublishResult> {
    if (plan.key !== key) {
      throw new DomainError('template.key-mismatch', `the template declares key '${plan.key}', not '${key}'`);
    }
    const hash = templateHash(source);
    return em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(?, hashtext(?))', [PUBLISH_LOCK_CLASS, key]);
      if (options.unlessPublishedBefore) {
        const [earlier] = await tx.execute<{ version: number }[]>(
          'select version from template_version where key = ? and hash = ? order by version desc limit 1',
          [key, hash],
        );
        if (earlier) return { version: earlier.version, created: false, hash };
      }
      const [newest] = await tx.execute<{ version: number; hash: string }[]>(
        'select version, hash from template_version where key = ? order by version desc limit 1',
        [key],
      );
      if (newest?.hash === hash) return { version: newest.version, created: false, hash };
      const version = (newest?.version ?? 0) + 1;
      const stored: ProcessPlan = { ...plan, version, hash };
      await tx.execute(
        `insert into template_version (key, version, hash, source, plan, published_at, published_by)
         values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
        [key, version, hash, source, JSON.stringify(stored), new Date(), user],
      );
      await recordChange(tx, {
        action: 'TemplateVersion.create',
        subject: `template_version:${key}:${version}`,
        after: { key, version, hash, publishedBy: user },
      });
      return { version, created: true, hash };
    });
  }

  /** Newest first. */
  async listVersions(em: EntityManager, key: string): Promise<TemplateVersionSummary[]> {
    const rows = await em.find(
      TemplateVersion,
      { key },
      {
        orderBy: { version: 'desc' },
        fields: ['key', 'version', 'hash', 'publishedAt', 'publishedBy'],
      },
    );
    return rows.map((row) => ({
      key: row.key,
      version: row.version,
      hash: row.hash,
      publishedAt: row.publishedAt,
      publishedBy: row.publishedBy,
    }));
  }

  async getVersion(em: EntityManager, key: string, version: number): Promise<TemplateVersion | null> {
    return em.findOne(TemplateVersion, { key, version });
  }

  /**
   * The names of published versions, by `versionNameKey`. Each is read once per registry: a
   * published version is never updated (publishing inserts a new one), and its name is one field
   * of a plan that can be 42 KB, which PostgreSQL would otherwise read whole for every task of an
   * inbox page. A version not found is not remembered, so it is found once published.
   */
  async versionNames(
    em: EntityManager,
    versions: readonly { key: string; version: number }[],
  ): Promise<Map<string, string | null>> {
    const missing = new Map<string, { key: string; version: number }>();
    for (const v of versions) {
      const name = versionNameKey(v.key, v.version);
      if (!this.publishedNames.has(name)) missing.set(name, v);
    }
    if (missing.size > 0) {
      const wanted = [...missing.values()];
      const rows = await em.execute<{ key: string; version: number; name: string | null }[]>(
        `select key, version, plan->>'name' as name from template_version
          where (key, version) in (${wanted.map(() => '(?, ?)').join(', ')})`,
        wanted.flatMap((v) => [v.key, v.version]),
      );
      for (const row of rows) this.publishedNames.set(versionNameKey(row.key, row.version), row.name);
    }
    return new Map(
      versions.map((v) => [
        versionNameKey(v.key, v.version),
        this.publishedNames.get(versionNameKey(v.key, v.version)) ?? null,
      ]),
    );
  }

  /** The newest published plan of every key, in one query (for cross-template checks). */
  async latestPlans(em: EntityManager): Promise<Map<string, ProcessPlan>> {
    const rows = await em.execute<{ key: string; plan: ProcessPlan }[]>(
      'select distinct on (key) key, plan from template_version order by key, version desc',
    );
    return new Map(rows.map((row) => [row.key, row.plan]));
  }

  /** The newest version number of every key: what tells a cache of plans whether it is current. */
  async latestVersions(em: EntityManager): Promise<Map<string, number>> {
    const rows = await em.execute<{ versions: NewestVersionsJson }[]>(`select ${NEWEST_VERSIONS_SQL} as versions`);
    return newestVersionsOf(rows[0]!.versions);
  }

  /** The plans of these versions (a version's plan never changes once published). */
  async plansOf(em: EntityManager, versions: readonly { key: string; version: number }[]): Promise<ProcessPlan[]> {
    if (versions.length === 0) return [];
    const rows = await em.execute<{ plan: ProcessPlan }[]>(
      `select plan from template_version where (key, version) in (${versions.map(() => '(?, ?::int)').join(', ')})`,
      versions.flatMap((v) => [v.key, v.version]),
    );
    return rows.map((row) => row.plan);
  }

  /**
   * Running instances (held in incident included) of the key per version (newest first) and the steps they wait at, from
   * the instance projection: what publishing a new version or rolling back leaves running on
   * the old ones. Two grouped counts rather than loading the rows.
   */
  async runningInstances(em: EntityManager, key: string): Promise<RunningVersion[]> {
    const [counts, waiting] = await Promise.all([
      em.execute<{ version: number; running: number }[]>(
        `select version, count(*)::int as running from process_instance
          where template_key = ? and status in ('running', 'incident') group by version order by version desc`,
        [key],
      ),
      em.execute<{ version: number; step_id: string; count: number }[]>(
        `select i.version, s.step_id, count(*)::int as count
           from process_instance i, jsonb_array_elements_text(i.current_steps) as s(step_id)
          where i.template_key = ? and i.status in ('running', 'incident')
          group by i.version, s.step_id order by i.version desc, count desc, s.step_id`,
        [key],
      ),
    ]);
    return counts.map(({ version, running }) => ({
      version,
      running,
      waiting: waiting.filter((w) => w.version === version).map((w) => ({ stepId: w.step_id, count: w.count })),
    }));
  }

  /** The newest published version, which new starts (and child processes) run. */
  async latest(em: EntityManager, key: string): Promise<TemplateVersion | null> {
    return em.findOne(TemplateVersion, { key }, { orderBy: { version: 'desc' } });
  }
}
