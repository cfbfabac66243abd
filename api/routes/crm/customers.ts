import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ContactFields, CreateCustomerInput, UpdateCustomerInput } from '../../../db/crm-schemas';
import {
  customerCounts, getCustomer, insertContact, insertCustomer, listContacts, listCustomers, toContact, toCustomer, updateCustomer,
} from '../../../db/repositories/crm/customer-queries';
import { existingIds } from '../../../db/repositories/crm/existing-ids';
import type { EngineContext } from '../../engine-deps';
import { callerOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdParam } from '../../schemas/crm/common';
import { Contact, CustomerListQuery, CustomerPage, CustomerView } from '../../schemas/crm/customers';
import { newCrmId } from '../../../db/crm/crm-id';
import { notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';

/** Customers with their contacts. */
const customerRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function customerView(id: string) {
    const em = ctx.orm.em.fork();
    const row = await getCustomer(em, id);
    if (!row) throw notFound('customer', id);
    const [contacts, counts] = await Promise.all([listContacts(em, id), customerCounts(em, id)]);
    return { ...toCustomer(row), contacts: contacts.map(toContact), counts };
  }

  async function assertOwnerExists(ownerId: string | undefined) {
    if (ownerId && (await existingIds(ctx.orm.em.fork(), 'engine_user', [ownerId])).size === 0) {
      throw unknownReferences([{ pointer: '/ownerId', kind: 'user', id: ownerId }]);
    }
  }

  app.get('/customers', {
    schema: { tags: ['crm'], summary: 'List customers, newest first', querystring: CustomerListQuery, response: { 200: CustomerPage, 400: Problem } },
  }, async (request) => {
    callerOf(request);
    const page = await listCustomers(ctx.orm.em.fork(), request.query);
    return { items: page.items.map(toCustomer), nextCursor: page.nextCursor };
  });

  app.get('/customers/:id', {
    schema: { tags: ['crm'], summary: 'One customer with contacts and counts', params: IdParam, response: { 200: CustomerView, 404: Problem } },
  }, async (request) => {
    callerOf(request);
    return customerView(request.params.id);
  });

  app.post('/customers', {
    schema: {
      tags: ['crm'], summary: 'Create a customer, with its contacts', body: CreateCustomerInput,
      response: { 201: CustomerView, 400: ValidationProblem, 422: Problem },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const input = validCrmBody(CreateCustomerInput, request.body);
    await assertOwnerExists(input.ownerId);
    const id = newCrmId('C');
    await ctx.orm.em.fork().transactional(async (em) => {
      await insertCustomer(em, id, { ...input, ownerId: input.ownerId ?? caller.userId });
      for (const contact of input.contacts ?? []) await insertContact(em, newCrmId('P'), id, contact);
    });
    reply.code(201).header('location', `/api/v1/customers/${id}`);
    return customerView(id);
  });

  app.patch('/customers/:id', {
    schema: {
      tags: ['crm'], summary: 'Change a customer', params: IdParam, body: UpdateCustomerInput,
      response: { 200: CustomerView, 400: ValidationProblem, 404: Problem, 422: Problem },
    },
  }, async (request) => {
    callerOf(request);
    const input = validCrmBody(UpdateCustomerInput, request.body);
    await assertOwnerExists(input.ownerId);
    if (!(await updateCustomer(ctx.orm.em.fork(), request.params.id, input))) throw notFound('customer', request.params.id);
    return customerView(request.params.id);
  });

  app.post('/customers/:id/contacts', {
    schema: {
      tags: ['crm'], summary: 'Add a contact person', params: IdParam, body: ContactFields,
      response: { 201: Contact, 400: ValidationProblem, 404: Problem },
    },
  }, async (request, reply) => {
    callerOf(request);
    const input = validCrmBody(ContactFields, request.body);
    const row = await ctx.orm.em.fork().transactional(async (em) => {
      if (!(await getCustomer(em, request.params.id))) throw notFound('customer', request.params.id);
      return insertContact(em, newCrmId('P'), request.params.id, input);
    });
    reply.code(201);
    return toContact(row);
  });
};

export default customerRoutes;
