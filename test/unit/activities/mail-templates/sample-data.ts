/** Realistic data for every shipped template, as a process would pass it. */
export const SAMPLE_DATA: Record<string, Record<string, unknown>> = {
  'lead-assigned': {
    repName: 'Li Na', company: 'Acme Trading', contactName: 'Zhang Wei', region: 'East China',
    productInterest: 'ERP licences', estimatedValue: '¥120,000', dueDate: '2025-07-02', leadUrl: 'https://crm.example/leads/42',
  },
  'task-assigned': { assigneeName: 'Li Na', processName: 'Lead follow-up', taskTitle: 'Call Acme Trading', dueDate: '2025-07-02', taskUrl: 'https://crm.example/tasks/7' },
  'task-reminder': { assigneeName: 'Li Na', taskTitle: 'Call Acme Trading', dueDate: '2025-07-02', taskUrl: 'https://crm.example/tasks/7', overdue: false },
  'quote-approval-requested': {
    approverName: 'Wang Fang', requestedBy: 'Li Na', quoteNumber: 'Q-2025-0042', version: 2, customerName: 'Acme Trading',
    total: '¥98,000', discount: '12%', lines: [{ product: 'ERP licence', quantity: 10, amount: '¥90,000' }, { product: 'Training', quantity: 1, amount: '¥8,000' }],
    approvalUrl: 'https://crm.example/quotes/42/approve',
  },
  'quote-decided': {
    repName: 'Li Na', approverName: 'Wang Fang', quoteNumber: 'Q-2025-0042', customerName: 'Acme Trading',
    approved: false, comment: 'Discount above 10% needs a two-year contract.', quoteUrl: 'https://crm.example/quotes/42',
  },
  'order-confirmed': {
    customerName: 'Acme Trading', orderNumber: 'SO-1001', orderDate: '2025-07-01', total: '¥98,000',
    lines: [{ product: 'ERP licence', quantity: 10 }], deliveryDate: '2025-07-15', orderUrl: 'https://crm.example/orders/1001',
  },
  'stock-short-supplier': {
    supplierName: 'Shenzhen Parts Co.', purchaseRequestNumber: 'PR-0077', buyerCompany: 'Example Ltd',
    lines: [{ sku: 'SKU-9', product: 'Barcode scanner', quantity: 40, unit: 'pcs' }], requiredBy: '2025-07-10',
    contactName: 'Chen Jie', contactEmail: 'purchasing@example.test',
  },
  'ticket-received': { customerName: 'Acme Trading', ticketSubject: 'Cannot print invoices', ticketNumber: 'T-501', responseDue: '2025-07-01 18:00', ticketUrl: 'https://crm.example/tickets/501' },
  'ticket-resolved': {
    customerName: 'Acme Trading', ticketSubject: 'Cannot print invoices', ticketNumber: 'T-501',
    resolution: 'The printer driver was updated.', closeAfterDays: 7, ticketUrl: 'https://crm.example/tickets/501',
  },
  'survey-invitation': {
    customerName: 'Acme Trading', surveyTitle: 'Service satisfaction', reason: 'ticket T-501', minutes: 3,
    surveyUrl: 'https://crm.example/s/abc', expiresOn: '2025-07-20',
  },
  'warehouse-shipment': {
    warehouseName: 'Shanghai East', orderId: 'SO-1001', customerName: 'Acme Trading', shipmentNoteId: 'SN-77',
    lines: [{ sku: 'SKU-9', name: 'Barcode scanner', quantity: 40 }],
  },
  'survey-reminder': { customerName: 'Acme Trading', surveyTitle: 'Service satisfaction', surveyUrl: 'https://crm.example/s/abc', expiresOn: '2025-07-20' },
};
