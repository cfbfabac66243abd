import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { keyedHash } from '../auth/keyed-hash';
import { hashPassword } from '../auth/password';
import { UserRepository } from '../users/user.repository';

/** The demo people's password (README lists their e-mails). Never use a demo deployment for real data. */
export const DEMO_PASSWORD = 'demo-password-2026';

/** Every scope: the demo keys and ADMIN_API_KEY act with their users' full rights. */
const ALL_SCOPES = { templates: '*', events: '*', read: '*' } as const;

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  attributes: Record<string, Json>;
  managerId: string | null;
  /** Plain demo key, listed in the README; stored as an api_key row (keyed hash). Never use these outside a demo. */
  apiKey: string;
}

/** The demo people `npm start` creates, managers before the people reporting to them. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'u-admin',
    name: 'Ada Admin',
    email: 'admin@crm.example',
    roles: ['admin', 'designer'],
    attributes: {},
    managerId: null,
    apiKey: 'demo-admin-key',
  },
  {
    id: 'u-sales-manager',
    name: 'Morgan Manager',
    email: 'sales.manager@crm.example',
    roles: ['sales-manager'],
    attributes: { region: 'EU', productLines: ['software', 'hardware'] },
    managerId: null,
    apiKey: 'demo-manager-key',
  },
  {
    id: 'u-sales-rep',
    name: 'Sam Seller',
    email: 'sales.rep@crm.example',
    roles: ['sales-rep'],
    attributes: { region: 'EU', productLines: ['software'], skills: ['english', 'german'], capacity: 20 },
    managerId: 'u-sales-manager',
    apiKey: 'demo-rep-key',
  },
  {
    id: 'u-finance',
    name: 'Fin Approver',
    email: 'finance@crm.example',
    roles: ['finance'],
    attributes: {},
    managerId: null,
    apiKey: 'demo-finance-key',
  },
  // The demo company (db/seed/demo-company.ts): regions east 华东, north 华北, south 华南.
  demoUser(
    'u-mgr-east',
    '陈东 (Chen Dong)',
    'mgr.east@crm.example',
    ['sales-manager'],
    { region: 'east', productLines: ['erp', 'crm', 'hardware'], locale: 'zh-CN' },
    null,
    'mgr-east',
  ),
  demoUser(
    'u-mgr-north',
    '李蓓 (Li Bei)',
    'mgr.north@crm.example',
    ['sales-manager'],
    { region: 'north', productLines: ['erp', 'crm', 'hardware'], locale: 'en' },
    null,
    'mgr-north',
  ),
  demoUser(
    'u-mgr-south',
    '黄楠 (Huang Nan)',
    'mgr.south@crm.example',
    ['sales-manager'],
    { region: 'south', productLines: ['erp', 'crm', 'hardware'], locale: 'zh-CN' },
    null,
    'mgr-south',
  ),
  demoUser(
    'u-rep-east-1',
    '张伟 (Zhang Wei)',
    'rep.east1@crm.example',
    ['sales-rep'],
    { region: 'east', productLines: ['erp', 'crm'], capacity: 10, locale: 'zh-CN' },
    'u-mgr-east',
    'rep-east-1',
  ),
  demoUser(
    'u-rep-east-2',
    '刘洋 (Liu Yang)',
    'rep.east2@crm.example',
    ['sales-rep'],
    { region: 'east', productLines: ['erp'], capacity: 10, locale: 'en' },
    'u-mgr-east',
    'rep-east-2',
  ),
  demoUser(
    'u-rep-north-1',
    '赵敏 (Zhao Min)',
    'rep.north1@crm.example',
    ['sales-rep'],
    { region: 'north', productLines: ['crm', 'hardware'], capacity: 8, locale: 'en' },
    'u-mgr-north',
    'rep-north-1',
  ),
  // Capacity 0: on leave, so lead assignment passes her over.
  demoUser(
    'u-rep-south-1',
    '周婷 (Zhou Ting)',
    'rep.south1@crm.example',
    ['sales-rep'],
    { region: 'south', productLines: ['hardware'], capacity: 0, locale: 'zh-CN' },
    'u-mgr-south',
    'rep-south-1',
  ),
  demoUser('u-director', '孙立 (Sun Li)', 'director@crm.example', ['director'], { locale: 'zh-CN' }, null, 'director'),
  demoUser(
    'u-cr-manager',
    '吴芳 (Wu Fang)',
    'cr.manager@crm.example',
    ['customer-relations-manager'],
    { locale: 'zh-CN' },
    null,
    'cr-manager',
  ),
  demoUser(
    'u-cr-agent',
    '郑丽 (Zheng Li)',
    'cr.agent@crm.example',
    ['customer-relations'],
    { skills: ['complaint'], locale: 'zh-CN' },
    'u-cr-manager',
    'cr-agent',
  ),
  demoUser(
    'u-support-lead',
    '许涛 (Xu Tao)',
    'support.lead@crm.example',
    ['support-lead'],
    { locale: 'en' },
    null,
    'support-lead',
  ),
  demoUser(
    'u-tech-1',
    '王磊 (Wang Lei)',
    'tech1@crm.example',
    ['technical-support'],
    { skills: ['technical', 'erp'], locale: 'zh-CN' },
    'u-support-lead',
    'tech-1',
  ),
  demoUser(
    'u-tech-2',
    '冯强 (Feng Qiang)',
    'tech2@crm.example',
    ['technical-support'],
    { skills: ['technical', 'crm'], locale: 'en' },
    'u-support-lead',
    'tech-2',
  ),
  demoUser(
    'u-service-desk',
    '何静 (He Jing)',
    'service.desk@crm.example',
    ['service-desk', 'sales'],
    { skills: ['sales'], locale: 'zh-CN' },
    'u-support-lead',
    'service-desk',
  ),
  demoUser(
    'u-warehouse',
    '马超 (Ma Chao)',
    'warehouse@crm.example',
    ['warehouse'],
    { locale: 'zh-CN' },
    null,
    'warehouse',
  ),
];

function demoUser(
  id: string,
  name: string,
  email: string,
  roles: string[],
  attributes: Record<string, Json>,
  managerId: string | null,
  short: string,
): DemoUser {
  return { id, name, email, roles, attributes, managerId, apiKey: `demo-${short}-key` };
}

/**
 * Creates the demo users that are missing and leaves existing rows as they are (an operator
 * may have changed them), so running it on every start is safe. Each gets its well-known API key
 * (an api_key row hashed with this server secret, re-hashed when the secret changed, left revoked
 * if an operator revoked it) and, unless it has one, the demo password. Without the server secret
 * (a worker-only process, which serves no API) the keys are left alone.
 */
export async function seedEngineUsers(em: EntityManager, serverSecret: string | null): Promise<{ created: string[] }> {
  // One hash for all: scrypt is slow on purpose, and this password is public anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return em.transactional(async (tx) => {
    const users = new UserRepository();
    const created = await users.insertMissing(
      tx,
      DEMO_USERS.map((user) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        roles: user.roles,
        attributes: user.attributes,
        managerId: user.managerId,
      })),
    );
    await users.setMissingPasswordHashes(
      tx,
      DEMO_USERS.map((user) => user.id),
      passwordHash,
    );
    if (serverSecret !== null) {
      const keys = new ApiKeyRepository();
      for (const user of DEMO_USERS) {
        const key = seededKey(`K-demo-${user.id}`, user.id, 'demo key', user.apiKey, serverSecret);
        await keys.upsertKnown(tx, key, false);
      }
    }
    return { created };
  });
}

function seededKey(id: string, userId: string, name: string, secret: string, serverSecret: string) {
  return {
    id,
    userId,
    name,
    prefix: secret.slice(0, 8),
    secretHash: keyedHash(serverSecret, 'api-key', secret),
    scopes: ALL_SCOPES,
    expiresAt: null,
    createdBy: null,
  };
}

/**
 * The deployment's own administrator (`ADMIN_API_KEY`, `ADMIN_PASSWORD`): created or re-activated,
 * given the key (un-revoked) and the password, so a deployment without demo users has a first
 * way in to create the others with.
 */
export async function seedAdminUser(
  em: EntityManager,
  serverSecret: string,
  credentials: { apiKey?: string | undefined; password?: string | undefined },
): Promise<void> {
  const passwordHash = credentials.password === undefined ? undefined : await hashPassword(credentials.password);
  await em.transactional(async (tx) => {
    const users = new UserRepository();
    await users.upsertActive(tx, {
      id: 'admin',
      name: 'Administrator',
      email: 'admin@localhost',
      roles: ['admin', 'designer'],
      attributes: {},
      managerId: null,
    });
    if (passwordHash !== undefined) await users.setPasswordHash(tx, 'admin', passwordHash);
    if (credentials.apiKey !== undefined) {
      await new ApiKeyRepository().upsertKnown(
        tx,
        seededKey('K-admin', 'admin', 'ADMIN_API_KEY', credentials.apiKey, serverSecret),
        true,
      );
    }
  });
}
