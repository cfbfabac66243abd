import { expect } from '@jest/globals';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ACTIVITY_CATALOG } from '../../activities';
import { buildApp } from '../../api/app';
import { seedEngineUsers } from '../../db/seed/engine-users';
import { createReadinessChecks } from '../../runtime/readiness-checks';
import { startEngineHarness, type EngineHarness } from './test-worker';
import { testServers } from './test-env';
import { TEST_AUTH, TEST_AUTH_SECRET } from './test-auth';

export { eventually } from './eventually';

export const KEYS = {
  admin: 'demo-admin-key',
  manager: 'demo-manager-key',
  rep: 'demo-rep-key',
  finance: 'demo-finance-key',
} as const;

export interface ApiHarness {
  app: FastifyInstance;
  engine: EngineHarness;
  call(as: keyof typeof KEYS, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Saves `yaml` as the draft of template `key` (it must be valid) and publishes it, as the admin. */
  publish(key: string, yaml: string): Promise<void>;
  close(): Promise<void>;
}

/** The real API (inject) in front of a real worker, Temporal, PostgreSQL and SMTP. */
export async function startApiHarness(
  overrides: { smtpUrl?: string; webhooks?: { allowPrivateTargets: boolean } } = {},
): Promise<ApiHarness> {
  const engine = await startEngineHarness({ ...(overrides.smtpUrl ? { smtpUrl: overrides.smtpUrl } : {}) });
  // The demo people go in while the API is built (it needs none of them until the first request).
  const [app] = await Promise.all([
    buildApp({
      readiness: createReadinessChecks(engine.orm, engine.client.connection as never, testServers().namespace),
      engine: {
        orm: engine.orm,
        client: engine.client,
        taskQueue: engine.taskQueue,
        catalog: ACTIVITY_CATALOG,
        auth: TEST_AUTH,
        ...(overrides.webhooks ? { webhooks: overrides.webhooks } : {}),
      },
    }),
    seedEngineUsers(engine.orm.em.fork(), TEST_AUTH_SECRET),
  ]);
  await app.ready();
  const call: ApiHarness['call'] = (as, options) =>
    app.inject({ ...options, headers: { 'x-api-key': KEYS[as], ...options.headers } });
  return {
    app,
    engine,
    call,
    publish: async (key, yaml) => {
      const saved = await call('admin', {
        method: 'PUT',
        url: `/api/v1/templates/${key}/draft`,
        headers: { 'content-type': 'application/yaml' },
        payload: yaml,
      });
      expect(saved.json()).toMatchObject({ valid: true });
      expect([200, 201]).toContain(
        (await call('admin', { method: 'POST', url: `/api/v1/templates/${key}/publish` })).statusCode,
      );
    },
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
