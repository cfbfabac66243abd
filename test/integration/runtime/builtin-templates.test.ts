import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { ACTIVITY_CATALOG } from '../../../activities';
import { openOrm, type Orm } from '../../../db/orm';
import { compileTemplate } from '../../../dsl/compile';
import { TemplateRegistry } from '../../../db/repositories';
import { seedEngineUsers } from '../../../db/seed/engine-users';
import { BuiltinTemplateError, publishBuiltinTemplates } from '../../../runtime/builtin-templates';
import { testServers } from '../../support/test-env';
import { TEST_AUTH_SECRET } from '../../support/test-auth';

const template = (key: string, title: string) => `key: ${key}
name: Built-in ${key}
input: { type: object }
steps:
  - id: note
    call: audit.record
    with: { actor: system, action: ${title}, subject: built-in }
`;

/** templates/*.yaml are published at start: changed content is a new version, unchanged never twice. */
describe('publishBuiltinTemplates', () => {
  let orm: Orm;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'builtin-templates-'));
  const key = `builtin-${randomUUID().slice(0, 8)}`;
  const logger = pino({ level: 'silent' });
  beforeAll(async () => {
    orm = await openOrm(testServers().databaseUrl, { poolMax: 2 });
    await seedEngineUsers(orm.em.fork(), TEST_AUTH_SECRET);
  });
  afterAll(async () => {
    await orm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes new and changed files once each', async () => {
    fs.writeFileSync(path.join(dir, `${key}.yaml`), template(key, 'first'));
    expect((await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir)).published).toEqual([
      `${key}@1`,
    ]);
    expect((await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir)).published).toEqual([]);
    fs.writeFileSync(path.join(dir, `${key}.yaml`), template(key, 'second'));
    expect((await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir)).published).toEqual([
      `${key}@2`,
    ]);
    const versions = await new TemplateRegistry().listVersions(orm.em.fork(), key);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('leaves a version published through the API the newest, even when the file is an older version', async () => {
    const own = `${key}-api`;
    const registry = new TemplateRegistry();
    fs.writeFileSync(path.join(dir, `${own}.yaml`), template(own, 'file'));
    await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir);
    const designed = template(own, 'designed');
    const plan = compileTemplate(designed, { catalog: ACTIVITY_CATALOG }).plan!;
    expect(await registry.publish(orm.em.fork(), own, plan, designed, 'u-designer')).toMatchObject({ version: 2 });
    expect((await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir)).published).toEqual([]);
    expect((await registry.latest(orm.em.fork(), own))?.version).toBe(2);
    fs.rmSync(path.join(dir, `${own}.yaml`));
  });

  it('refuses to start with a broken built-in, naming file, line and column', async () => {
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(
      broken,
      `key: broken-${key}\nname: Broken\ninput: { type: object }\nsteps:\n  - id: x\n    call: no.such\n    with: {}\n`,
    );
    try {
      await expect(publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir)).rejects.toBeInstanceOf(
        BuiltinTemplateError,
      );
      await publishBuiltinTemplates(orm.em.fork(), ACTIVITY_CATALOG, logger, dir).catch(
        (error: BuiltinTemplateError) => {
          expect(error.lines.join('\n')).toMatch(/^templates\/broken\.yaml:6:\d+ call\.unknown-activity /m);
        },
      );
    } finally {
      fs.rmSync(broken);
    }
  });
});
