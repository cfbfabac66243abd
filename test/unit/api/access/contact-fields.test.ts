import { describe, expect, it } from '@jest/globals';
import { ROLE_NAMES, hasRight } from '../../../../contracts/roles';
import { withoutContactFields } from '../../../../api/access/contact-fields';
import type { Principal } from '../../../../api/principal';

const person = (roles: string[]): Principal => ({
  kind: 'user',
  sessionId: null,
  userId: 'u-x',
  name: 'X',
  email: 'x@crm.example',
  roles,
  attributes: {},
  managerId: null,
});

describe('contact fields', () => {
  it('leaves e-mail and phone out (not null) for roles without contacts.read', () => {
    const contact = { id: 'P-1', name: 'Buyer', email: 'b@c.example', phone: '+8613800138000' };
    expect(withoutContactFields(person(['finance']), contact)).toEqual({ id: 'P-1', name: 'Buyer' });
    expect(withoutContactFields(person(['sales-rep']), contact)).toEqual(contact);
  });

  // Leads carry the contact's e-mail and phone and the lead routes do not strip them: that holds
  // only while every reader of leads may read contacts. Granting leads.read to another role means
  // stripping them in the lead routes first (and marking the fields optional in lead.schema.ts).
  it('gives leads only to roles that may read contact fields', () => {
    const leadReaders = ROLE_NAMES.filter((role) => hasRight([role], 'leads.read'));
    expect(leadReaders.filter((role) => !hasRight([role], 'contacts.read'))).toEqual([]);
  });
});
