import type { EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/postgresql';
import { PriceTier, Product, Supplier } from '../crm/catalogue/catalogue.entity';
import { Contact, Customer } from '../crm/customers/customer.entity';
import { Lead } from '../crm/leads/lead.entity';
import { Stock, Warehouse } from '../crm/orders/inventory.entity';
import { Survey } from '../crm/surveys/survey.entity';
import { recordChange } from '../repositories/audit-log';

/**
 * The demo company's ids, for tests and the README. The people are demo users
 * (db/seed/engine-users.ts); regions are east 华东, north 华北 and south 华南.
 */
export const DEMO_IDS = {
  customers: { vip: 'C-VIP-001', gradeA: 'C-A-001', gradeB: 'C-B-001', gradeC: 'C-C-001' },
  contacts: { vip: 'CT-VIP-001', gradeA: 'CT-A-001', gradeB: 'CT-B-001', gradeC: 'CT-C-001' },
  products: { erpStandard: 'P-ERP-STD', crmPro: 'P-CRM-PRO', scanner: 'P-HW-SCAN', printer: 'P-HW-PRINTER' },
  /** Only 3 on hand in all warehouses: an order for more waits for a purchase. */
  shortProduct: 'P-HW-PRINTER',
  warehouses: { shanghai: 'WH-SH', beijing: 'WH-BJ' },
  suppliers: { software: 'SUP-ERP', hardware: 'SUP-HW' },
  surveys: { csat: 'SV-CSAT' },
  users: {
    managers: { east: 'u-mgr-east', north: 'u-mgr-north', south: 'u-mgr-south' },
    reps: { east1: 'u-rep-east-1', east2: 'u-rep-east-2', north1: 'u-rep-north-1', south1OnLeave: 'u-rep-south-1' },
    director: 'u-director',
    crManager: 'u-cr-manager',
    crAgent: 'u-cr-agent',
    tech1: 'u-tech-1',
    tech2: 'u-tech-2',
    serviceDesk: 'u-service-desk',
    supportLead: 'u-support-lead',
    warehouse: 'u-warehouse',
  },
  leads: ['L-DEMO-001', 'L-DEMO-002', 'L-DEMO-003', 'L-DEMO-004', 'L-DEMO-005'],
} as const;

interface CustomerRow {
  id: string;
  name: string;
  grade: 'VIP' | 'A' | 'B' | 'C';
  region: string;
  industry: string;
  discountRate: number;
  locale: 'zh-CN' | 'en';
  ownerId: string;
  purchasedVolume: number;
  contact: { id: string; name: string; email: string; phone: string; role: string };
}

const CUSTOMERS: CustomerRow[] = [
  {
    id: 'C-VIP-001',
    name: '华东精密制造有限公司',
    grade: 'VIP',
    region: 'east',
    industry: 'manufacturing',
    discountRate: 0.08,
    locale: 'zh-CN',
    ownerId: 'u-rep-east-1',
    purchasedVolume: 500,
    contact: {
      id: 'CT-VIP-001',
      name: '王建国 (Wang Jianguo)',
      email: 'wang.jianguo@customer.example',
      phone: '+8613800138001',
      role: 'purchasing manager',
    },
  },
  {
    id: 'C-A-001',
    name: 'Northwind Trading',
    grade: 'A',
    region: 'north',
    industry: 'wholesale',
    discountRate: 0.05,
    locale: 'en',
    ownerId: 'u-rep-north-1',
    purchasedVolume: 0,
    contact: {
      id: 'CT-A-001',
      name: 'Emily Chen',
      email: 'emily.chen@customer.example',
      phone: '+8613900139002',
      role: 'operations director',
    },
  },
  {
    id: 'C-B-001',
    name: '南方电子',
    grade: 'B',
    region: 'south',
    industry: 'electronics',
    discountRate: 0.02,
    locale: 'zh-CN',
    ownerId: 'u-rep-south-1',
    purchasedVolume: 0,
    contact: {
      id: 'CT-B-001',
      name: '林小红 (Lin Xiaohong)',
      email: 'lin.xiaohong@customer.example',
      phone: '+8613700137003',
      role: 'IT manager',
    },
  },
  {
    id: 'C-C-001',
    name: 'Small Shop Ltd',
    grade: 'C',
    region: 'east',
    industry: 'retail',
    discountRate: 0,
    locale: 'en',
    ownerId: 'u-rep-east-2',
    purchasedVolume: 0,
    contact: {
      id: 'CT-C-001',
      name: 'Tom Li',
      email: 'tom.li@customer.example',
      phone: '+8615000150004',
      role: 'owner',
    },
  },
];

/** Open leads (new, contacted) give the workloads lead assignment sees: east-1 has 3, east-2 has 1, north-1 none. */
const LEADS = [
  {
    id: 'L-DEMO-001',
    company: '苏州智造科技',
    contact: '钱进 (Qian Jin)',
    region: 'east',
    product: 'erp',
    valueCents: 5_000_000,
    status: 'new',
    ownerId: 'u-rep-east-1',
  },
  {
    id: 'L-DEMO-002',
    company: '杭州云仓物流',
    contact: '孙悦 (Sun Yue)',
    region: 'east',
    product: 'crm',
    valueCents: 1_200_000,
    status: 'contacted',
    ownerId: 'u-rep-east-1',
  },
  {
    id: 'L-DEMO-003',
    company: 'Ningbo Port Services',
    contact: 'David Xu',
    region: 'east',
    product: 'erp',
    valueCents: 3_000_000,
    status: 'contacted',
    ownerId: 'u-rep-east-1',
  },
  {
    id: 'L-DEMO-004',
    company: '上海小微商贸',
    contact: '李明 (Li Ming)',
    region: 'east',
    product: 'erp',
    valueCents: 800_000,
    status: 'new',
    ownerId: 'u-rep-east-2',
  },
  // Qualified is no longer open: it does not count towards north-1's workload.
  {
    id: 'L-DEMO-005',
    company: 'Tianjin Office Supplies',
    contact: 'Grace Wang',
    region: 'north',
    product: 'crm',
    valueCents: 600_000,
    status: 'qualified',
    ownerId: 'u-rep-north-1',
  },
] as const;

const PRODUCTS = [
  {
    id: 'P-ERP-STD',
    name: 'ERP Standard licence',
    line: 'erp',
    priceCents: 1_000_000,
    tiers: [
      [10, 900_000],
      [50, 800_000],
    ],
  },
  { id: 'P-CRM-PRO', name: 'CRM Professional seat', line: 'crm', priceCents: 300_000, tiers: [[20, 270_000]] },
  { id: 'P-HW-SCAN', name: 'Barcode scanner', line: 'hardware', priceCents: 80_000, tiers: [] },
  { id: 'P-HW-PRINTER', name: 'Label printer', line: 'hardware', priceCents: 150_000, tiers: [] },
] as const;

const WAREHOUSES = [
  { id: 'WH-SH', name: 'Shanghai', region: 'east', email: 'warehouse.sh@crm.example' },
  { id: 'WH-BJ', name: 'Beijing', region: 'north', email: 'warehouse.bj@crm.example' },
] as const;

const STOCK = [
  ['P-ERP-STD', 'WH-SH', 1000],
  ['P-CRM-PRO', 'WH-SH', 500],
  ['P-CRM-PRO', 'WH-BJ', 200],
  ['P-HW-SCAN', 'WH-SH', 40],
  ['P-HW-SCAN', 'WH-BJ', 20],
  ['P-HW-PRINTER', 'WH-BJ', 3],
] as const;

const SUPPLIERS = [
  {
    id: 'SUP-ERP',
    name: '华通软件 (Huatong Software)',
    email: 'supplier.erp@supplier.example',
    phone: '+862150000001',
    lines: ['erp', 'crm'],
  },
  {
    id: 'SUP-HW',
    name: '深圳联创设备 (Shenzhen Lianchuang Devices)',
    email: 'supplier.hw@supplier.example',
    phone: '+8675500000002',
    lines: ['hardware'],
  },
] as const;

const CSAT_QUESTIONS = [
  { id: 'overall', text: 'Overall satisfaction 总体满意度', kind: 'rating', required: true },
  { id: 'speed', text: 'Response speed 响应速度', kind: 'rating' },
  { id: 'comment', text: 'Comments 意见', kind: 'text' },
];

/** Rows written per table. */
export interface DemoCounts {
  customers: number;
  contacts: number;
  leads: number;
  products: number;
  priceTiers: number;
  warehouses: number;
  stock: number;
  suppliers: number;
  surveys: number;
}

export interface DemoCompanySummary extends DemoCounts {
  /** False when the CRM already had customers: nothing was written. */
  loaded: boolean;
}

// An advisory lock of its own class keeps two starts from both finding the CRM empty.
const DEMO_LOCK_CLASS = 7_233_003;

/**
 * Loads the demo company (customers with their primary contacts, open leads, catalogue with price
 * tiers, stock in two warehouses, suppliers and the satisfaction survey) when the CRM has no
 * customers, in one transaction; a CRM with data of its own is left alone. Needs the demo users.
 * Written through each aggregate's entities, as inserts that skip a row already there.
 */
export async function seedDemoCompany(em: EntityManager): Promise<DemoCompanySummary> {
  return em.transactional(async (tx) => {
    await tx
      .getConnection()
      .execute('select pg_advisory_xact_lock(?, 0)', [DEMO_LOCK_CLASS], 'all', tx.getTransactionContext());
    const counts = emptyCounts();
    if ((await tx.count(Customer, {})) > 0) return { loaded: false, ...counts };
    // Counts what was written: a row already there (a product with a demo id, say) is kept, not counted.
    const insert = async <T extends object>(
      into: keyof DemoCounts,
      entity: EntityName<T>,
      rows: RequiredEntityData<T>[],
    ) => {
      if (rows.length === 0) return;
      const result = await tx.createQueryBuilder(entity).insert(rows).onConflict().ignore().execute('run');
      counts[into] += result.affectedRows;
    };

    await insert(
      'customers',
      Customer,
      CUSTOMERS.map((c) => ({
        id: c.id,
        name: c.name,
        grade: c.grade,
        region: c.region,
        industry: c.industry,
        source: 'demo',
        discountRate: c.discountRate,
        locale: c.locale,
        owner: c.ownerId,
        purchasedVolume: c.purchasedVolume,
      })),
    );
    await insert(
      'contacts',
      Contact,
      CUSTOMERS.map((c) => ({
        id: c.contact.id,
        customer: c.id,
        name: c.contact.name,
        email: c.contact.email,
        phone: c.contact.phone,
        role: c.contact.role,
        isPrimary: true,
      })),
    );
    await insert(
      'leads',
      Lead,
      LEADS.map((l) => ({
        id: l.id,
        source: 'demo',
        company: l.company,
        contactName: l.contact,
        email: `${l.id.toLowerCase()}@customer.example`,
        region: l.region,
        productInterest: l.product,
        estimatedValueCents: l.valueCents,
        status: l.status,
        owner: l.ownerId,
        notes: [],
      })),
    );
    await insert(
      'products',
      Product,
      PRODUCTS.map((p) => ({
        id: p.id,
        sku: p.id.replace(/^P-/, 'SKU-'),
        name: p.name,
        productLine: p.line,
        listPriceCents: p.priceCents,
      })),
    );
    await insert(
      'priceTiers',
      PriceTier,
      PRODUCTS.flatMap((p) =>
        p.tiers.map(([minQuantity, unitPriceCents]) => ({
          id: `${p.id}-T${minQuantity}`,
          product: p.id,
          minQuantity,
          unitPriceCents,
        })),
      ),
    );
    await insert(
      'warehouses',
      Warehouse,
      WAREHOUSES.map((w) => ({ id: w.id, name: w.name, region: w.region, email: w.email })),
    );
    await insert(
      'stock',
      Stock,
      STOCK.map(([productId, warehouseId, onHand]) => ({ productId, warehouseId, onHand })),
    );
    await insert(
      'suppliers',
      Supplier,
      SUPPLIERS.map((s) => ({ id: s.id, name: s.name, email: s.email, phone: s.phone, productLines: [...s.lines] })),
    );
    await insert('surveys', Survey, [
      { id: 'SV-CSAT', name: 'Service satisfaction / 服务满意度', questions: CSAT_QUESTIONS, active: true },
    ]);
    // One entry for the whole load: a row per demo record would be noise, and they are all in the seed above.
    await recordChange(tx, { action: 'DemoCompany.seed', subject: 'crm:demo-company', detail: { ...counts } });
    return { loaded: true, ...counts };
  });
}

function emptyCounts(): DemoCounts {
  return {
    customers: 0,
    contacts: 0,
    leads: 0,
    products: 0,
    priceTiers: 0,
    warehouses: 0,
    stock: 0,
    suppliers: 0,
    surveys: 0,
  };
}
