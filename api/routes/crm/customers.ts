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
import type { Right } from '../../../contracts/roles';
import { withoutContactFields } from '../../access/contact-fields';
import { assertMayAssignTo, assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { OwnedRecords } from '../../access/record-scope';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf, refusalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { CrmPage, IdParam, PageQuery } from '../../schemas/crm/crm-records';
import { notFound, unknownReferences, validCrmBody } from '../../services/crm/crm-problems';
import { createIdempotently } from '../../services/idempotent-create';

const CustomerListQuery = Type.Object({ ...CustomerListFilters, ...PageQuery }, { additionalProperties: false });

/**
 * Customers with their contacts. A rep sees and changes the customers they own, a manager the
 * team's, see-all holders every one; contact e-mails and phones only with `contacts.read`.
 */
const customerRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  /** Whose records of each kind the customer's counts include; null: a kind the principal may not read. */
  async function countScopes(principal: Principal) {
    const kinds = ['leads', 'opportunities', 'quotes', 'orders'] as const satisfies readonly OwnedRecords[];
    const entries = await Promise.all(
      kinds.map(async (kind) => {
        if (refusalOf(principal, `${kind}.read` as Right) !== null) return [kind, null] as const;
        return [kind, ownerIdsOf(await scopeOf(ctx, principal, kind))] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<(typeof kinds)[number], readonly string[] | undefined | null>;
  }

  async function customerView(principal: Principal, id: string): Promise<CustomerView> {
    const customers = new CustomerRepository(ctx.orm.em.fork());
    const customer = await customers.find(id);
    assertVisible(await scopeOf(ctx, principal, 'customers'), customer, () => notFound('customer', id));
    const scopes = await countScopes(principal);
    // A kind the principal may not read is counted unfiltered and then left out of the answer.
    const all = await customers.counts(id, {
      leads: scopes.leads ?? undefined,
      opportunities: scopes.opportunities ?? undefined,
      quotes: scopes.quotes ?? undefined,
      orders: scopes.orders ?? undefined,
    });
    const tickets = refusalOf(principal, 'tickets.read') === null;
    const counts = {
      ...(scopes.leads !== null ? { openLeads: all.openLeads } : {}),
      ...(scopes.opportunities !== null ? { openOpportunities: all.openOpportunities } : {}),
      ...(scopes.quotes !== null ? { quotes: all.quotes } : {}),
      ...(scopes.orders !== null ? { orders: all.orders } : {}),
      ...(tickets ? { tickets: all.tickets, openTickets: all.openTickets } : {}),
    };
    const contacts = await customers.listContacts(id);
    return {
      ...customers.toRecord(customer),
      contacts: contacts.map((contact) => withoutContactFields(principal, customers.toContactRecord(contact))),
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
        description:
          "A sales rep sees the customers they own, a sales manager their team's; other readers every customer.",
        querystring: CustomerListQuery,
        response: { 200: CrmPage(Customer), 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'customers');
      const customers = new CustomerRepository(ctx.orm.em.fork());
      const page = await customers.list({ ...request.query, ownerIds: ownerIdsOf(scope) });
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
    async (request) => customerView(principalOf(request), request.params.id),
  );

  app.post(
    '/customers',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Create a customer, with its contacts',
        description:
          'The owner defaults to the caller; another owner (`ownerId`) must be one whose customers the caller sees (a manager: the team), else 403.',
        headers: IdempotencyHeaders,
        body: CreateCustomerInput,
        response: { 200: CustomerView, 201: CustomerView, 400: ValidationProblem, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(CreateCustomerInput, request.body);
      const ownerId = input.ownerId ?? principal.userId;
      assertMayAssignTo(await scopeOf(ctx, principal, 'customers'), ownerId, 'customers');
      await assertOwnerExists(ownerId);
      const { result, created } = await createIdempotently(ctx, {
        scope: 'customers',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => ({
          id: (await new CustomerRepository(em).create({ ...input, ownerId })).id,
          eventId: null,
        }),
        replay: async (id) => ({ id, eventId: null }),
      });
      reply.code(created ? 201 : 200).header('location', `/api/v1/customers/${result.id}`);
      return customerView(principal, result.id);
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Change a customer',
        description:
          'A customer the caller may not see is a 404. Moving it to another owner (`ownerId`) needs a manager (within the team) or a see-all role, else 403; nothing is changed then.',
        params: IdParam,
        body: UpdateCustomerInput,
        response: { 200: CustomerView, 400: ValidationProblem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const input = validCrmBody(UpdateCustomerInput, request.body);
      const { id } = request.params;
      const scope = await scopeOf(ctx, principal, 'customers');
      await ctx.orm.em.fork().transactional(async (em) => {
        const customers = new CustomerRepository(em);
        // Checked under the row lock the change is made in: an owner changed meanwhile cannot slip past.
        const customer = await customers.lock(id);
        assertVisible(scope, customer, () => notFound('customer', id));
        if (input.ownerId !== undefined && input.ownerId !== (customer.owner?.id ?? null)) {
          assertMayAssignTo(scope, input.ownerId, 'customers');
          await assertOwnerExists(input.ownerId);
        }
        await customers.update(id, input);
      });
      return customerView(principal, id);
    },
  );

  app.post(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a contact person',
        description: 'To a customer the caller may see (else 404).',
        params: IdParam,
        headers: IdempotencyHeaders,
        body: ContactFields,
        response: { 200: Contact, 201: Contact, 400: ValidationProblem, 404: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(ContactFields, request.body);
      const scope = await scopeOf(ctx, principal, 'customers');
      const customerId = request.params.id;
      const { result, created } = await createIdempotently(ctx, {
        scope: 'contacts',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: { customerId, input },
        create: async (em) => {
          const customers = new CustomerRepository(em);
          assertVisible(scope, await customers.lock(customerId), () => notFound('customer', customerId));
          return { id: (await customers.addContact(customerId, input)).id, eventId: null };
        },
        replay: async (id) => ({ id, eventId: null }),
      });
      const customers = new CustomerRepository(ctx.orm.em.fork());
      const contact = (await customers.listContacts(customerId)).find((c) => c.id === result.id);
      if (!contact) throw notFound('contact', result.id);
      reply.code(created ? 201 : 200);
      return withoutContactFields(principal, customers.toContactRecord(contact));
    },
  );
};

export default customerRoutes;
