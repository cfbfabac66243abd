import type { EntityManager } from '@mikro-orm/postgresql';
import { TemplateRegistry } from '../../db/repositories';
import type { ProcessPlan } from '../../dsl/plan';

/**
 * The newest published plan of every template key, kept in memory by (key, version): a version's
 * plan never changes once published, so each call reads only the version numbers (a few hundred
 * bytes) and loads a plan (tens of KB) only when a key has a version the cache has not seen. A
 * publish is seen by the next call; a version read before it may still be used by a call running
 * at the same time, as it would have been without the cache. A caller that read the versions
 * already (in the statement that claimed an event) passes them, and the call reads none.
 */
export class PublishedPlanCache {
  private readonly registry = new TemplateRegistry();
  private readonly newest = new Map<string, ProcessPlan>();

  async latestPlans(em: EntityManager, newest?: ReadonlyMap<string, number>): Promise<ProcessPlan[]> {
    const versions = newest ?? (await this.registry.latestVersions(em));
    const stale = [...versions]
      .filter(([key, version]) => this.newest.get(key)?.version !== version)
      .map(([key, version]) => ({ key, version }));
    for (const plan of await this.registry.plansOf(em, stale)) this.newest.set(plan.key, plan);
    for (const key of this.newest.keys()) if (!versions.has(key)) this.newest.delete(key);
    return [...versions.keys()].flatMap((key) => this.newest.get(key) ?? []);
  }
}
