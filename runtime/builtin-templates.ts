import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ActivityContract } from '../dsl/activity-contract';
import { compileTemplate } from '../dsl/compile';
import { formatDiagnostic } from '../dsl/diagnostics';
import { listTemplateCalls } from '../dsl/template-calls';
import { TemplateRegistry, UserRepository } from '../db/repositories';

export class BuiltinTemplateError extends Error {
  constructor(readonly lines: string[]) {
    super(`Built-in templates have errors:\n${lines.join('\n')}`);
    this.name = 'BuiltinTemplateError';
  }
}

/**
 * Publishes every `templates/*.yaml` whose content is not yet a version of its key: a changed
 * file becomes a new version, an unchanged one is never duplicated, and versions published
 * through the API stay the newest until the file itself changes.
 */
export async function publishBuiltinTemplates(
  em: EntityManager,
  catalog: Record<string, ActivityContract>,
  logger: Logger,
  dir = path.resolve('templates'),
  options: { checkRoles?: boolean } = {},
): Promise<{ published: string[] }> {
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];
  const sources = files.map((file) => ({
    file: path.join('templates', file),
    source: fs.readFileSync(path.join(dir, file), 'utf8'),
  }));
  const calls = new Map<string, string[]>();
  for (const { source } of sources) {
    const { key, calls: called } = listTemplateCalls(source);
    if (key) calls.set(key, called);
  }
  const roles = options.checkRoles === false ? undefined : await new UserRepository().listRoles(em);
  const registry = new TemplateRegistry();
  const problems: string[] = [];
  const published: string[] = [];
  for (const { file, source } of sources) {
    const result = compileTemplate(source, {
      catalog,
      ...(roles ? { roles } : {}),
      resolveTemplateCalls: (key) => calls.get(key),
    });
    problems.push(
      ...result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, source, file)),
    );
    if (!result.plan) continue;
    const outcome = await registry.publish(em, result.plan.key, result.plan, source, 'system', {
      unlessPublishedBefore: true,
    });
    if (outcome.created) {
      published.push(`${result.plan.key}@${outcome.version}`);
      logger.info({ template: result.plan.key, version: outcome.version }, 'built-in template published');
    }
  }
  if (problems.length > 0) throw new BuiltinTemplateError(problems);
  return { published };
}
