import { describe, expect, it } from '@jest/globals';
import { assertMayStartTemplate } from '../../../../api/access/process-access';
import type { Principal, SystemPrincipal } from '../../../../api/principal';

const person = (roles: string[]): Principal => ({
  kind: 'user',
  sessionId: 's-1',
  userId: 'u-1',
  name: 'Pat',
  email: 'pat@crm.test',
  roles,
  attributes: {},
  managerId: null,
});
const systemKey = (templates: SystemPrincipal['scopes']['templates']): Principal => ({
  kind: 'system',
  keyId: 'k-1',
  scopes: { templates, events: '*', read: '*' },
  userId: 'u-erp',
  name: 'ERP',
  email: 'erp@crm.test',
  roles: ['system'],
  attributes: {},
  managerId: null,
});

const mayStart = (principal: Principal, key: string, startableBy?: string[]) => {
  try {
    assertMayStartTemplate(principal, key, startableBy);
    return true;
  } catch (error) {
    expect(error).toMatchObject({ status: 403 });
    return false;
  }
};

describe('assertMayStartTemplate', () => {
  it('takes the built-in defaults when the template names no starters', () => {
    expect(mayStart(person(['sales-rep']), 'lead-assignment')).toBe(true);
    expect(mayStart(person(['sales-rep']), 'order-fulfilment')).toBe(false);
    expect(mayStart(person(['customer-relations-manager']), 'survey-reminders')).toBe(true);
    expect(mayStart(person(['sales-rep']), 'some-new-template')).toBe(false);
    expect(mayStart(person(['admin']), 'some-new-template')).toBe(true);
  });

  it("replaces the defaults by the template's startableBy", () => {
    expect(mayStart(person(['sales-rep']), 'lead-assignment', ['sales-manager'])).toBe(false);
    expect(mayStart(person(['warehouse']), 'order-fulfilment', ['warehouse'])).toBe(true);
    expect(mayStart(person(['admin']), 'order-fulfilment', [])).toBe(true);
  });

  it('lets a system key start only the templates its scope names', () => {
    expect(mayStart(systemKey(['lead-assignment']), 'lead-assignment')).toBe(true);
    expect(mayStart(systemKey(['lead-assignment']), 'order-fulfilment')).toBe(false);
    expect(mayStart(systemKey([]), 'lead-assignment')).toBe(false);
    expect(mayStart(systemKey(undefined), 'lead-assignment')).toBe(false);
    expect(mayStart(systemKey('*'), 'order-fulfilment', ['warehouse'])).toBe(true);
    // A key of a person's account is no wider than its roles, whatever its scope.
    expect(mayStart({ ...(systemKey('*') as SystemPrincipal), roles: ['sales-rep'] }, 'order-fulfilment')).toBe(false);
  });
});
