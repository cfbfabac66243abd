import type { EntityManager } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';
import { hashApiKey, UserRepository } from '../users/user.repository';

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  attributes: Record<string, Json>;
  managerId: string | null;
  /** Plain demo key, printed by `npm start`; only its sha256 is stored. Never use these outside a demo. */
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
 * may have changed them), so running it on every start is safe.
 */
export async function seedEngineUsers(em: EntityManager): Promise<{ created: string[] }> {
  return em.transactional(async (tx) => {
    const created = await new UserRepository().insertMissing(
      tx,
      DEMO_USERS.map((user) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        roles: user.roles,
        attributes: user.attributes,
        managerId: user.managerId,
        apiKeyHash: hashApiKey(user.apiKey),
      })),
    );
    return { created };
  });
}

/**
 * The deployment's own administrator (`ADMIN_API_KEY`): created, or given the new key and
 * re-activated, so a deployment without demo users has a first key to create the others with.
 */
export async function seedAdminUser(em: EntityManager, apiKey: string): Promise<void> {
  await new UserRepository().upsertWithKey(em, {
    id: 'admin',
    name: 'Administrator',
    email: 'admin@localhost',
    roles: ['admin', 'designer'],
    attributes: {},
    managerId: null,
    apiKeyHash: hashApiKey(apiKey),
  });
}
