import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError, TemplateRegistry, templateHash } from '../../../../db/repositories';
import { openEngineTestKit, testPlan, unique, type EngineTestKit } from '../../../support/engine-test-kit';

/** Drafts, publishing with per-key numbering under concurrency, and engine.resolveTemplate. */
describe('TemplateRegistry', () => {
  let kit: EngineTestKit;
  const templates = new TemplateRegistry();
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  const publish = (key: string, source: string, user = 'u-designer') =>
    templates.publish(kit.em(), key, testPlan(key), source, user);

  it('numbers versions 1, 2, … per key and returns the newest version for content equal to it', async () => {
    const key = unique('lead-assignment');
    const v1 = `key: ${key}\nname: one\n`;
    const v2 = `key: ${key}\nname: two\n`;
    expect(await publish(key, v1)).toEqual({ version: 1, created: true, hash: templateHash(v1) });
    expect(await publish(key, v2)).toEqual({ version: 2, created: true, hash: templateHash(v2) });
    expect(await publish(key, v2, 'u-other')).toEqual({ version: 2, created: false, hash: templateHash(v2) });
    expect(await publish(unique('other-key'), v1)).toMatchObject({ version: 1, created: true });

    expect((await templates.listVersions(kit.em(), key)).map((v) => [v.version, v.hash, v.publishedBy])).toEqual([
      [2, templateHash(v2), 'u-designer'],
      [1, templateHash(v1), 'u-designer'],
    ]);
    const first = await templates.getVersion(kit.em(), key, 1);
    expect(first).toMatchObject({ source: v1, plan: { key, version: 1, hash: templateHash(v1) } });
    expect((await templates.latest(kit.em(), key))?.version).toBe(2);
    expect(await templates.getVersion(kit.em(), key, 3)).toBeNull();
    expect(await templates.latest(kit.em(), unique('never-published'))).toBeNull();
  });

  it('publishes the content of an older version as the next version (a rollback), with the same hash', async () => {
    const key = unique('rollback');
    const v1 = `key: ${key}\nname: one\n`;
    const v2 = `key: ${key}\nname: two\n`;
    await publish(key, v1);
    await publish(key, v2);
    expect(await publish(key, v1, 'u-other')).toEqual({ version: 3, created: true, hash: templateHash(v1) });
    expect(await templates.getVersion(kit.em(), key, 3)).toMatchObject({
      source: v1,
      publishedBy: 'u-other',
      plan: { version: 3, hash: templateHash(v1) },
    });
    expect((await templates.latest(kit.em(), key))?.version).toBe(3);
    expect(await publish(key, v1)).toEqual({ version: 3, created: false, hash: templateHash(v1) });
  });

  it('gives concurrent publishes of different content distinct consecutive versions', async () => {
    const key = unique('quote-approval');
    const sources = Array.from({ length: 8 }, (_, i) => `key: ${key}\nthreshold: ${i}\n`);
    const results = await Promise.all(sources.map((source) => publish(key, source)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(results.every((r) => r.created)).toBe(true);
  });

  it('publishes the same content once when it is published concurrently', async () => {
    const key = unique('surveys');
    const source = `key: ${key}\n`;
    const results = await Promise.all(Array.from({ length: 6 }, () => publish(key, source)));
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('refuses a plan whose key is not the one published under', async () => {
    const key = unique('mismatch');
    await expect(templates.publish(kit.em(), key, testPlan('something-else'), 'x', 'u')).rejects.toBeInstanceOf(
      DomainError,
    );
    await expect(templates.publish(kit.em(), key, testPlan('something-else'), 'x', 'u')).rejects.toMatchObject({
      code: 'template.key-mismatch',
    });
  });

  it('saves drafts and lists every template with its newest version and draft time', async () => {
    const published = unique('order-fulfilment');
    const draftOnly = unique('ticket-escalation');
    await templates.saveDraft(kit.em(), published, 'draft one', 'u-designer', 'Order fulfilment (draft)');
    const saved = await templates.saveDraft(kit.em(), published, 'draft two', 'u-editor');
    expect(saved).toMatchObject({ key: published, source: 'draft two', updatedBy: 'u-editor', name: null });
    expect(await templates.getDraft(kit.em(), published)).toMatchObject({ source: 'draft two', updatedBy: 'u-editor' });
    await templates.publish(kit.em(), published, testPlan(published, 'Order fulfilment'), 'v1', 'u-designer');
    await templates.saveDraft(kit.em(), draftOnly, 'draft', 'u-designer', 'Ticket escalation');

    const listed = (await templates.listTemplates(kit.em())).filter((t) => [published, draftOnly].includes(t.key));
    expect(listed).toEqual(
      [
        {
          key: published,
          name: 'Order fulfilment',
          latestVersion: 1,
          publishedAt: expect.any(Date),
          draftUpdatedAt: expect.any(Date),
        },
        {
          key: draftOnly,
          name: 'Ticket escalation',
          latestVersion: null,
          publishedAt: null,
          draftUpdatedAt: expect.any(Date),
        },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(await templates.getDraft(kit.em(), unique('none'))).toBeNull();
  });
});

describe('engine.resolveTemplate', () => {
  let kit: EngineTestKit;
  beforeAll(async () => {
    kit = await openEngineTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  it('returns the newest published plan', async () => {
    const key = unique('child');
    const templates = new TemplateRegistry();
    await templates.publish(kit.em(), key, testPlan(key), 'one', 'u');
    await templates.publish(kit.em(), key, testPlan(key, 'Newer'), 'two', 'u');
    const plan = await kit.run(kit.activities['engine.resolveTemplate'], { key });
    expect(plan).toMatchObject({ key, name: 'Newer', version: 2, hash: templateHash('two') });
  });

  it('fails without retrying when nothing is published under the key', async () => {
    await expect(kit.run(kit.activities['engine.resolveTemplate'], { key: unique('missing') })).rejects.toMatchObject({
      type: 'template.not-found',
      nonRetryable: true,
    });
  });
});
