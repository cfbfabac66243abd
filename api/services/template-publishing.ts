import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcessPlan } from '../../dsl/plan';
import type { EngineContext } from '../engine-deps';
import { ProblemError } from '../problem-error';
import { assertCompiled, compileAgainstRegistry } from './template-compiler';

/** The answer to a publish or a rollback (the `Published` schema). */
export interface PublishedVersion {
  key: string;
  version: number;
  hash: string;
  created: boolean;
  publishedAt: string;
  publishedBy: string;
}

/**
 * Compiles `source` against the registry and publishes it as the key's next version, unless it
 * equals the newest (`created: false`). The one path of the publish and rollback routes, so a
 * rollback is refused exactly as a publish of that content would be (an activity gone since).
 */
export async function publishTemplateSource(
  ctx: EngineContext,
  em: EntityManager,
  key: string,
  source: string,
  user: string,
): Promise<PublishedVersion> {
  const plan = assertCompiled(await compileAgainstRegistry(ctx, em, source), `Template '${key}'`);
  assertTemplateKey(plan, key);
  const published = await ctx.templates.publish(em, key, plan, source, user);
  const version = await ctx.templates.getVersion(em, key, published.version);
  return {
    key,
    version: published.version,
    hash: published.hash,
    created: published.created,
    publishedAt: version!.publishedAt.toISOString(),
    publishedBy: version!.publishedBy,
  };
}

export function assertTemplateKey(plan: ProcessPlan, key: string): void {
  if (plan.key !== key) {
    throw new ProblemError({
      status: 422,
      type: 'template-invalid',
      title: 'Unprocessable Content',
      detail: `The template declares key '${plan.key}' but is saved as '${key}'.`,
      extensions: { diagnostics: [] },
    });
  }
}
