import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CustomerRepository } from '../../../db/crm/customers';
import {
  Contact,
  ContactFields,
  CreateCustomerInput,
  Customer,
  CustomerListFilters,
  CustomerView,
  UpdateCustomerInput,
} from '../../../db/crm/customers/customer.schema';
import type { EngineContext } from '../../engine-deps';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';

const CustomerListQuery = Type.Object({ ...CustomerListFilters, ...PageQuery }, { additionalProperties: false });

/** Customers with their contacts. */
const customerRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function customerView(id: string): Promise<CustomerView> {
    const customers = new CustomerRepository(ctx.orm.em.fork());
    const customer = await customers.find(id);
    if (!customer) throw notFound('customer', id);
    const [contacts, counts] = [await customers.listContacts(id), await customers.counts(id)];
    return {
      ...customers.toRecord(customer),
      contacts: contacts.map((contact) => customers.toContactRecord(contact)),
      counts,
    };
  }

  async function assertOwnerExists(ownerId: string | undefined) {
    if (ownerId && !(await ctx.users.exists(ctx.orm.em.fork(), ownerId))) {
      throw unknownReferences([{ pointer: '/ownerId', kind: 'user', id: ownerId }]);
    }
  }

  app.get(
    '/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['crm'],
        summary: 'List customers, newest first',
        querystring: CustomerListQuery,
        response: { 200: CrmPage(Customer), 400: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const customers = new CustomerRepository(ctx.orm.em.fork());
      const page = await customers.list(request.query);
      return { items: page.items.map((customer) => customers.toRecord(customer)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/customers/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['crm'],
        summary: 'One customer with contacts and counts',
        params: IdParam,
        response: { 200: CustomerView, 404: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      return customerView(request.params.id);
    },
  );

  app.post(
    '/customers',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Create a customer, with its contacts',
        body: CreateCustomerInput,
        response: { 201: CustomerView, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateCustomerInput, request.body);
      await assertOwnerExists(input.ownerId);
      const customer = await ctx.orm.em
        .fork()
        .transactional((em) =>
          new CustomerRepository(em).create({ ...input, ownerId: input.ownerId ?? principal.userId }),
        );
      reply.code(201).header('location', `/api/v1/customers/${customer.id}`);
      return customerView(customer.id);
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Change a customer',
        params: IdParam,
        body: UpdateCustomerInput,
        response: { 200: CustomerView, 400: ValidationProblem, 404: Problem, 422: Problem },
      },
    },
    async (request) => {
      principalOf(request);
      const input = validCrmBody(UpdateCustomerInput, request.body);
      await assertOwnerExists(input.ownerId);
      if (!(await new CustomerRepository(ctx.orm.em.fork()).update(request.params.id, input)))
        throw notFound('customer', request.params.id);
      return customerView(request.params.id);
    },
  );

  app.post(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a contact person',
        params: IdParam,
        body: ContactFields,
        response: { 201: Contact, 400: ValidationProblem, 404: Problem },
      },
    },
    async (request, reply) => {
      principalOf(request);
      const input = validCrmBody(ContactFields, request.body);
      const contact = await ctx.orm.em.fork().transactional(async (em) => {
        const customers = new CustomerRepository(em);
        if (!(await customers.exists(request.params.id))) throw notFound('customer', request.params.id);
        return customers.toContactRecord(await customers.addContact(request.params.id, input));
      });
      reply.code(201);
      return contact;
    },
  );
};

export default customerRoutes;
