import { describe, expect, it } from '@jest/globals';
import { formatCrmProblems, isValidPhone, toE164, validateCrmInput } from '../../../db/crm/fields';
import { CreateProductInput } from '../../../db/crm/catalogue/catalogue.schema';
import { CreateContactInput, CreateCustomerInput } from '../../../db/crm/customers/customer.schema';
import { CreateLeadInput } from '../../../db/crm/leads/lead.schema';
import { CreateOrderInput } from '../../../db/crm/orders/order.schema';
import { QuoteRequestInput } from '../../../db/crm/quotes/quote.schema';
import { CreateTicketInput } from '../../../db/crm/tickets/ticket.schema';

const lead = { source: 'web', company: 'Acme Ltd', contactName: 'Li Wei' };

const problemsOf = (result: ReturnType<typeof validateCrmInput>) => (result.ok ? [] : result.problems);
const pathsOf = (result: ReturnType<typeof validateCrmInput>) =>
  problemsOf(result)
    .map((p) => p.path)
    .sort();

describe('phone numbers', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    ['+1 202-555-0143', '+12025550143'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('accepts %s as %s', (text, e164) => {
    expect(isValidPhone(text)).toBe(true);
    expect(toE164(text)).toBe(e164);
  });

  it.each(['12345', 'abc', '', '+1 555', '138001380001234'])('rejects %p', (text) => {
    expect(isValidPhone(text)).toBe(false);
    expect(toE164(text)).toBeUndefined();
  });

  it('normalises every phone field to E.164 without changing the input', () => {
    const input = { customerId: 'cust-1', name: 'Li Wei', phone: '138 0013 8000' };
    const result = validateCrmInput(CreateContactInput, input);
    expect(result).toEqual({ ok: true, value: { ...input, phone: '+8613800138000' } });
    expect(input.phone).toBe('138 0013 8000');

    const customer = validateCrmInput(CreateCustomerInput, {
      name: 'Acme',
      contacts: [
        { name: 'A', phone: '+1 (202) 555-0143' },
        { name: 'B', phone: '13800138000' },
      ],
    });
    expect(customer.ok && customer.value.contacts?.map((c) => c.phone)).toEqual(['+12025550143', '+8613800138000']);
  });

  it('reports an invalid phone number by path', () => {
    expect(problemsOf(validateCrmInput(CreateLeadInput, { ...lead, phone: '12345' }))).toEqual([
      { path: '/phone', message: expect.stringContaining('phone number') },
    ]);
  });
});

describe('e-mail addresses', () => {
  it.each(['li.wei@example.com', 'sales+crm@acme.com.cn', 'A.B@sub.example.org'])('accepts %s', (email) => {
    expect(validateCrmInput(CreateLeadInput, { ...lead, email })).toEqual({ ok: true, value: { ...lead, email } });
  });

  it.each(['not-an-email', 'li@', '@example.com', 'li wei@example.com', 'li@@example.com'])('rejects %p', (email) => {
    expect(problemsOf(validateCrmInput(CreateLeadInput, { ...lead, email }))).toEqual([
      { path: '/email', message: 'must be an e-mail address' },
    ]);
  });
});

describe('validateCrmInput', () => {
  it('reports every problem at once', () => {
    const result = validateCrmInput(CreateLeadInput, {
      source: 'web',
      company: '',
      email: 'nope',
      phone: '12345',
      estimatedValueCents: -5,
      color: 'red',
    });
    expect(pathsOf(result)).toEqual(['', '', '/company', '/email', '/estimatedValueCents', '/phone']);
    const text = formatCrmProblems(problemsOf(result));
    expect(text).toContain('contactName');
    expect(text).toContain('color');
  });

  it('checks enumerations and ranges of a customer', () => {
    const result = validateCrmInput(CreateCustomerInput, {
      name: 'Acme',
      grade: 'D',
      locale: 'fr',
      discountRate: 1.5,
      birthday: '1990-13-45',
    });
    expect(pathsOf(result)).toEqual(['/birthday', '/discountRate', '/grade', '/locale']);
    expect(problemsOf(result).find((p) => p.path === '/grade')?.message).toContain('VIP, A, B, C');
    expect(
      validateCrmInput(CreateCustomerInput, {
        name: 'Acme',
        grade: 'VIP',
        locale: 'en',
        discountRate: 0.05,
        birthday: '1990-05-04',
      }).ok,
    ).toBe(true);
  });

  it('requires positive quantities on every order line, and at least one line', () => {
    const result = validateCrmInput(CreateOrderInput, {
      customerId: 'cust-1',
      lines: [
        { productId: 'p-1', quantity: 0 },
        { productId: 'p-2', quantity: -3 },
        { productId: 'p-3', quantity: 1.5 },
        { productId: 'p-4', quantity: 2 },
      ],
    });
    expect(pathsOf(result)).toEqual(['/lines/0/quantity', '/lines/1/quantity', '/lines/2/quantity']);
    expect(pathsOf(validateCrmInput(CreateOrderInput, { customerId: 'cust-1', lines: [] }))).toEqual(['/lines']);
    expect(
      validateCrmInput(CreateOrderInput, { customerId: 'cust-1', lines: [{ productId: 'p-1', quantity: 3 }] }).ok,
    ).toBe(true);
  });

  it('requires positive prices on products and their tiers', () => {
    const result = validateCrmInput(CreateProductInput, {
      sku: 'has space',
      name: 'Widget',
      productLine: 'widgets',
      listPriceCents: 0,
      priceTiers: [
        { minQuantity: 0, unitPriceCents: -1 },
        { minQuantity: 10, unitPriceCents: 900 },
      ],
    });
    expect(pathsOf(result)).toEqual([
      '/listPriceCents',
      '/priceTiers/0/minQuantity',
      '/priceTiers/0/unitPriceCents',
      '/sku',
    ]);
    expect(
      validateCrmInput(CreateProductInput, {
        sku: 'WID-001',
        name: 'Widget',
        productLine: 'widgets',
        listPriceCents: 1000,
        priceTiers: [{ minQuantity: 10, unitPriceCents: 900 }],
      }).ok,
    ).toBe(true);
  });

  it('checks a quote request', () => {
    const result = validateCrmInput(QuoteRequestInput, {
      customerId: 'cust-1',
      lines: [{ productId: 'p-1', quantity: 0 }],
      requestedDiscountPercent: 120,
    });
    expect(pathsOf(result)).toEqual(['/lines/0/quantity', '/requestedDiscountPercent']);
    expect(
      validateCrmInput(QuoteRequestInput, { customerId: 'cust-1', lines: [{ productId: 'p-1', quantity: 5 }] }).ok,
    ).toBe(true);
  });

  it('checks a ticket', () => {
    const result = validateCrmInput(CreateTicketInput, {
      subject: '',
      body: 'x',
      category: 'billing',
      priority: 'critical',
      contactEmail: 'x',
      contactPhone: '1',
    });
    expect(pathsOf(result)).toEqual(['/category', '/contactEmail', '/contactPhone', '/priority', '/subject']);
    const ok = validateCrmInput(CreateTicketInput, {
      customerId: 'cust-1',
      subject: '无法登录',
      body: '系统报错',
      contactPhone: '+86 138 0013 8000',
      priority: 'high',
    });
    expect(ok.ok && ok.value.contactPhone).toBe('+8613800138000');
  });

  it('rejects a value that is not an object', () => {
    expect(pathsOf(validateCrmInput(CreateLeadInput, 'lead'))).toEqual(['']);
  });
});
