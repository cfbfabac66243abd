import type { EntityManager } from '@mikro-orm/postgresql';
import type { DryRunScenario } from '../../contracts/dry-run';
import { TemplateScenario } from '../entities';
import { recordChange } from './audit-log';

/** A scenario as the studio lists it. */
export interface SavedScenario {
  name: string;
  scenario: DryRunScenario;
  updatedAt: string;
  updatedBy: string;
}

/** How many scenarios one template may keep: `scenarios/run` runs them all at once. */
export const MAX_SCENARIOS_PER_TEMPLATE = 100;

/** Dry-run scenarios saved with a template: the only reader and writer of template_scenario. */
export class TemplateScenarioRepository {
  /** By name. */
  async list(em: EntityManager, key: string): Promise<SavedScenario[]> {
    const rows = await em.find(TemplateScenario, { key }, { orderBy: { name: 'asc' } });
    return rows.map(savedOf);
  }

  /**
   * Creates or replaces the scenario `name` of the template (the scenario's own `name` is the
   * URL's); null when the template has {@link MAX_SCENARIOS_PER_TEMPLATE} others already.
   */
  async save(
    em: EntityManager,
    key: string,
    name: string,
    scenario: DryRunScenario,
    user: string,
  ): Promise<SavedScenario | null> {
    return em.transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext('template_scenario:' || ?))`, [key]);
      const existing = await tx.findOne(TemplateScenario, { key, name });
      if (!existing && (await tx.count(TemplateScenario, { key })) >= MAX_SCENARIOS_PER_TEMPLATE) return null;
      const stored = { ...scenario, name };
      const row = await tx.upsert(TemplateScenario, {
        key,
        name,
        scenario: stored as unknown as Record<string, unknown>,
        updatedBy: user,
        updatedAt: new Date(),
      });
      await recordChange(tx, {
        action: existing ? 'TemplateScenario.update' : 'TemplateScenario.create',
        subject: `template_scenario:${key}:${name}`,
        after: { key, name, updatedBy: user },
      });
      return savedOf(row);
    });
  }

  /** False when the template has no scenario of that name. */
  async delete(em: EntityManager, key: string, name: string): Promise<boolean> {
    return em.transactional(async (tx) => {
      const deleted = await tx.nativeDelete(TemplateScenario, { key, name });
      if (deleted === 0) return false;
      await recordChange(tx, {
        action: 'TemplateScenario.delete',
        subject: `template_scenario:${key}:${name}`,
        before: { key, name },
      });
      return true;
    });
  }
}

function savedOf(row: TemplateScenario): SavedScenario {
  return {
    name: row.name,
    scenario: row.scenario as unknown as DryRunScenario,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}
