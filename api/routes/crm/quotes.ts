import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QuoteRepository, toQuoteRecord, toQuoteView } from '../../../db/crm/quotes/quote.repository';
import { QuoteRequestInput, QuoteView } from '../../../db/crm/quotes/quote.schema';
import { findRaisedEventId, raiseProcessEvent } from '../../../db/repositories';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf } from '../../plugins/auth';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { IdParam } from '../../schemas/crm/crm-records';
import { CreatedQuote, QuoteListQuery, QuotePage } from '../../schemas/crm/quotes';
import { notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { createIdempotently } from '../../services/idempotent-create';
import { assertReferencesExist, productRefs, type Reference } from '../../services/crm/reference-check';

/**
 * Quotes: submitting one raises `quote.submitted`, which starts quote approval (it prices the
 * lines). Each quote has its own owner: a rep sees their own, a manager the team's.
 */
const quoteRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  async function quoteView(principal: Principal, id: string) {
    const quote = await new QuoteRepository(ctx.orm.em.fork()).findWithVersions(id);
    assertVisible(await scopeOf(ctx, principal, 'quotes'), quote, () => notFound('quote', id));
    return toQuoteView(quote);
  }

  app.post(
    '/quotes',
    {
      config: { permission: 'quotes.write' },
      schema: {
        tags: ['crm'],
        summary: 'Submit a quote request (starts the processes bound to quote.submitted)',
        description:
          'Creates the quote (status submitted, owner = principal) at version 1 with unpriced lines. Unknown customer, opportunity or product, or a customer or opportunity the caller may not see: 422 `unknown-reference` naming each; nothing is written.',
        headers: IdempotencyHeaders,
        body: QuoteRequestInput,
        response: { 200: CreatedQuote, 201: CreatedQuote, 400: ValidationProblem, 422: Problem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const input = validCrmBody(QuoteRequestInput, request.body);
      const customers = ownerIdsOf(await scopeOf(ctx, principal, 'customers'));
      const refs: Reference[] = [
        { table: 'customers', kind: 'customer', id: input.customerId, pointer: '/customerId', ownerIds: customers },
      ];
      if (input.opportunityId)
        refs.push({
          table: 'opportunities',
          kind: 'opportunity',
          id: input.opportunityId,
          pointer: '/opportunityId',
          ownerIds: ownerIdsOf(await scopeOf(ctx, principal, 'opportunities')),
        });
      const { result, created } = await createIdempotently(ctx, {
        scope: 'quotes',
        principal,
        idempotencyKey: request.headers['idempotency-key'],
        request: input,
        create: async (em) => {
          await assertReferencesExist(em, [...refs, ...productRefs(input.lines)]);
          const quote = await new QuoteRepository(em).createSubmitted(input, principal.userId);
          const event = await raiseProcessEvent(
            em,
            'quote.submitted',
            { quoteId: quote.id, version: 1 },
            { dedupeKey: `${quote.id}:1`, raisedBy: principal.userId, taskQueue: ctx.taskQueue },
          );
          return { id: quote.id, eventId: event.id };
        },
        replay: async (id) => ({
          id,
          eventId: await findRaisedEventId(ctx.orm.em.fork(), 'quote.submitted', `${id}:1`),
        }),
      });
      const { id } = result;
      const dispatched = await dispatchRaised(ctx, request.log, result.eventId);
      reply.code(created ? 201 : 200).header('location', `/api/v1/quotes/${id}`);
      return { quote: await quoteView(principal, id), ...dispatched };
    },
  );

  app.get(
    '/quotes',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags: ['crm'],
        summary: 'List quotes, newest first',
        description: "Sales reps see their own quotes, sales managers their team's.",
        querystring: QuoteListQuery,
        response: { 200: QuotePage, 400: Problem },
      },
    },
    async (request) => {
      const scope = await scopeOf(ctx, principalOf(request), 'quotes');
      const page = await new QuoteRepository(ctx.orm.em.fork()).list({ ...request.query, ownerIds: ownerIdsOf(scope) });
      return { items: page.items.map(toQuoteRecord), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/quotes/:id',
    {
      config: { permission: 'quotes.read' },
      schema: {
        tags: ['crm'],
        summary: 'One quote with every version and its lines',
        params: IdParam,
        response: { 200: QuoteView, 404: Problem },
      },
    },
    async (request) => quoteView(principalOf(request), request.params.id),
  );
};

export default quoteRoutes;
