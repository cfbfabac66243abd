import type { ApprovalPolicy } from './approval-levels';
import type { TicketDictionary } from './classify-ticket';
import type { LeadAssignmentPolicy } from './lead-assignment';
import type { QuotePricingPolicy } from './quote-pricing';
import type { SlaPolicy } from './sla-deadlines';
import type { TicketPriorityPolicy } from './ticket-priority';

/*
 * The policies the built-in CRM templates start from. They are template data: a designer copies
 * and edits them; the rules never read these directly, so a changed policy is honoured everywhere.
 */

/** Latin keywords match whole words (a trailing * is a prefix); Chinese ones match anywhere. */
export const DEFAULT_TICKET_DICTIONARY: TicketDictionary = {
  categories: {
    technical: {
      queue: 'technical-support',
      keywords: [
        'error',
        'bug',
        'crash*',
        'cannot log in',
        'login',
        'password',
        'not working',
        'broken',
        'install*',
        'outage',
        'timeout',
        'slow',
        'failed',
        'exception',
        '技术问题',
        '故障',
        '无法登录',
        '登录',
        '密码',
        '报错',
        '错误',
        '崩溃',
        '闪退',
        '无法使用',
        '安装',
        '系统问题',
        '打不开',
        '超时',
      ],
    },
    sales: {
      queue: 'sales',
      keywords: [
        'price',
        'pricing',
        'quote',
        'quotation',
        'discount',
        'buy',
        'purchase',
        'order',
        'enquiry',
        'inquiry',
        'trial',
        'demo',
        'license',
        'upgrade',
        'catalog*',
        '产品咨询',
        '咨询',
        '价格',
        '报价',
        '多少钱',
        '折扣',
        '优惠',
        '购买',
        '订购',
        '试用',
        '演示',
        '升级',
        '续费',
        '合同',
      ],
    },
    complaint: {
      queue: 'customer-relations',
      keywords: [
        'complaint',
        'complain*',
        'unhappy',
        'dissatisfied',
        'unacceptable',
        'refund',
        'disappointed',
        'terrible',
        'worst',
        'rude',
        'angry',
        'escalate',
        'compensation',
        'lawyer',
        '投诉',
        '不满意',
        '不满',
        '退款',
        '退货',
        '赔偿',
        '失望',
        '差评',
        '态度差',
        '太差',
        '欺骗',
        '维权',
        '生气',
        '要求解释',
      ],
    },
  },
  otherQueue: 'service-desk',
  precedence: ['complaint', 'technical', 'sales'],
};

export const DEFAULT_TICKET_PRIORITY_POLICY: TicketPriorityPolicy = {
  matrix: {
    technical: { VIP: 'high', A: 'high', B: 'normal', C: 'low' },
    sales: { VIP: 'high', A: 'normal', B: 'normal', C: 'low' },
    complaint: { VIP: 'urgent', A: 'high', B: 'normal', C: 'normal' },
    other: { VIP: 'normal', A: 'normal', B: 'low', C: 'low' },
  },
  hintCeiling: 'high',
  routes: { technical: 'technical-support', sales: 'sales', complaint: 'customer-relations', other: 'service-desk' },
  escalations: [{ category: 'complaint', minPriority: 'high', routeTo: 'customer-relations-manager' }],
  redAlerts: [{ category: 'complaint', customerGrade: 'VIP' }],
  redAlertRouteTo: 'customer-relations-manager',
};

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  urgent: { response: 'PT30M', resolution: 'PT4H', remindBefore: 'PT10M' },
  high: { response: 'PT2H', resolution: 'P1D', remindBefore: 'PT30M' },
  normal: { response: 'PT8H', resolution: 'P3D', remindBefore: 'PT1H' },
  low: { response: 'P1D', resolution: 'P1W', remindBefore: 'PT4H' },
};

export const DEFAULT_LEAD_ASSIGNMENT_POLICY: LeadAssignmentPolicy = {
  eligibleRoles: ['sales-rep'],
  requireProductLine: true,
  managerRole: 'sales-manager',
};

export const DEFAULT_QUOTE_PRICING_POLICY: QuotePricingPolicy = {
  tierBasis: 'quantity-plus-purchased',
  discountOnTieredLines: true,
};

/** Thresholds in cents: 50 000.00 and 200 000.00 in the quote's currency. */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  levels: [
    {
      name: 'sales manager',
      approvers: ['sales-manager'],
      mode: 'sequential',
      discountPercentAbove: 10,
      totalAboveCents: 5_000_000,
    },
    {
      name: 'finance and director',
      approvers: ['finance', 'director'],
      mode: 'parallel',
      discountPercentAbove: 20,
      totalAboveCents: 20_000_000,
    },
  ],
};
