import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTIVITY_CATALOG } from '../../../activities';
import { buildApp } from '../../../api/app';
import { createReadinessChecks } from '../../../runtime/readiness-checks';
import { KEYS, startApiHarness, type ApiHarness } from '../../support/api-harness';
import { testServers } from '../../support/test-env';
import { TEST_AUTH } from '../../support/test-auth';

/** About 800 KB of YAML: 9500 set steps, each with an expression to type-check. */
function hugeTemplate(key: string): string {
  const steps = Array.from(
    { length: 9500 },
    (_, i) => `  - id: step${i}\n    set: { value${i}: '=input.amount * ${i} + size(input.name) - ${i % 7}' }`,
  );
  return [
    `key: ${key}`,
    'name: Huge',
    'input:',
    '  type: object',
    '  properties: { amount: { type: number }, name: { type: string } }',
    'steps:',
    ...steps,
    '',
  ].join('\n');
}

const validate = (app: FastifyInstance, key: string, yaml: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/templates/${key}/validate`,
    headers: { 'x-api-key': KEYS.admin, 'content-type': 'application/yaml' },
    payload: yaml,
  });

describe('template compilation budgets', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers an 800 KB template with a 422 limit diagnostic, without compiling it', async () => {
    const yaml = hugeTemplate('huge');
    expect(yaml.length).toBeGreaterThan(780 * 1024);
    const response = await validate(api.app, 'huge', yaml);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().diagnostics).toEqual([
      expect.objectContaining({ code: 'limit.source-size', severity: 'error', line: expect.any(Number) }),
    ]);
  });

  it('a billion-laughs YAML is a 422 diagnostic, not a 500', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries())
      lines.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`);
    const response = await validate(api.app, 'bomb', `${lines.join('\n')}\nkey: bomb\n`);
    expect(response.statusCode).toBe(422);
    expect(response.json().diagnostics).toEqual([
      expect.objectContaining({ code: 'limit.yaml-aliases', line: 2, column: 8 }),
    ]);
  });

  describe('with the size limits lifted, the time budget still holds', () => {
    let roomy: FastifyInstance;
    beforeAll(async () => {
      roomy = await buildApp({
        readiness: createReadinessChecks(
          api.engine.orm,
          api.engine.client.connection as never,
          testServers().namespace,
        ),
        engine: {
          orm: api.engine.orm,
          client: api.engine.client,
          taskQueue: api.engine.taskQueue,
          catalog: ACTIVITY_CATALOG,
          triggerPollMs: 0,
          auth: TEST_AUTH,
          compile: { timeoutMs: 1000, limits: { maxSourceBytes: 4 * 1024 * 1024, maxSteps: 1_000_000 } },
        },
      });
      await roomy.ready();
    });
    afterAll(async () => {
      await roomy?.close();
    });

    it('stops the compile at its budget with a 422 while /healthz keeps answering, then compiles the next template', async () => {
      let validated = false;
      const validating = validate(roomy, 'huge', hugeTemplate('huge')).then((response) => {
        validated = true;
        return response;
      });
      // Long enough for the request to reach the compiler (on the event loop it would now block).
      await sleep(500);
      const health = await roomy.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(validated).toBe(false);

      const response = await validating;
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        status: 422,
        diagnostics: [
          expect.objectContaining({
            code: 'limit.compile-budget',
            message: expect.stringContaining('took longer than 1000 ms; it is too large or too complex'),
          }),
        ],
      });

      const ok = await validate(
        roomy,
        'small',
        'key: small\nname: Small\ninput: { type: object }\nsteps:\n  - id: one\n    set: { x: "=1 + 2" }\n',
      );
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ valid: true });
    });
  });
});
