import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QuoteRepository, toQuoteRecord, toQuoteView } from '../../../db/crm/quotes/quote.repository';
import { QuoteRequestInput, QuoteVersionInput, QuoteView } from '../../../db/crm/quotes/quote.schema';
import { findRaisedEventId, raiseProcessEvent } from '../../../db/repositories';
import { assertVisible, ownerIdsOf, scopeOf } from '../../access/owned-records';
import type { EngineContext } from '../../engine-deps';
import type { Principal } from '../../principal';
import { principalOf } from '../../plugins/auth';
import { ProblemError } from '../../problem-error';
import { Problem, ValidationProblem } from '../../schemas/problem';
import { IdempotencyHeaders } from '../../schemas/idempotency';
import { IdParam } from '../../schemas/crm/crm-records';
import {
  CreatedQuote,
  QuoteListQuery,
  QuotePage,
  QuoteVersionParams,
  WrittenQuoteVersion,
} from '../../schemas/crm/quotes';
import { conflict, notFound, validCrmBody } from '../../services/crm/crm-problems';
import { dispatchRaised } from '../../services/crm/dispatch-raised';
import { priceQuoteInRequest } from '../../services/crm/quote-pricing';
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
          'Creates the quote (status submitted, owner = principal) at version 1, priced as the process prices it (list and tier prices, customer and requested discount; the process prices it again when it runs). Unknown customer, opportunity or product, or a customer or opportunity the caller may not see: 422 `unknown-reference` naming each; nothing is written.',
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
          await priceQuoteInRequest(em, quote.id, 1);
          const event = await raiseProcessEvent(
            em,
            'quote.submitted',
            { quoteId: quote.id, version: 1 },
            {
              dedupeKey: `${quote.id}:1`,
              raisedBy: principal.userId,
              taskQueue: ctx.taskQueue,
              claimForDispatch: true,
            },
          );
          return { id: quote.id, eventId: event.id, claimedEvent: event.claimed };
        },
        replay: async (id) => ({
          id,
          eventId: await findRaisedEventId(ctx.orm.em.fork(), 'quote.submitted', `${id}:1`),
        }),
      });
      const { id } = result;
      const dispatched = await dispatchRaised(ctx, request.log, result);
      reply.code(created ? 201 : 200).header('location', `/api/v1/quotes/${id}`);
      return { quote: await quoteView(principal, id), ...dispatched };
    },
  );

  app.put(
    '/quotes/:id/versions/:version',
    {
      config: { permission: 'quotes.write' },
      schema: {
        tags: ['crm'],
        summary: 'Write the revision of a sent-back quote (lines, requested discount) before finishing the revise task',
        description:
          'Only while the quote is `changes-requested` (else 409 `quote-not-revisable`). `version` is the next version (current + 1) or the sent-back version itself; either way the revision is written as version current + 1, priced in the request, and becomes current when the owner completes the revise task, after which it is approved again. Writing again replaces the lines. Unknown product: 422 `unknown-reference`.',
        params: QuoteVersionParams,
        body: QuoteVersionInput,
        response: { 200: WrittenQuoteVersion, 400: ValidationProblem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const input = validCrmBody(QuoteVersionInput, request.body);
      const visible = await new QuoteRepository(ctx.orm.em.fork()).findWithVersions(id);
      assertVisible(await scopeOf(ctx, principal, 'quotes'), visible, () => notFound('quote', id));
      await ctx.orm.em.fork().transactional(async (em) => {
        const quotes = new QuoteRepository(em);
        const quote = await quotes.lock(id);
        if (!quote) throw notFound('quote', id);
        if (quote.status !== 'changes-requested')
          throw conflict(
            'quote-not-revisable',
            `Quote '${id}' is ${quote.status}; a new version can be written only while changes are requested.`,
          );
        const next = quote.currentVersion + 1;
        if (request.params.version !== next && request.params.version !== quote.currentVersion)
          throw conflict(
            'quote-version-mismatch',
            `Quote '${id}' is at version ${quote.currentVersion}; its revision is version ${next}.`,
            { currentVersion: quote.currentVersion, nextVersion: next },
          );
        if (
          (input.customerId !== undefined && input.customerId !== quote.customer.id) ||
          (input.opportunityId !== undefined && input.opportunityId !== (quote.opportunity?.id ?? null))
        )
          throw new ProblemError({
            status: 422,
            type: 'quote-parties-fixed',
            title: 'Unprocessable Content',
            detail: `A revision keeps quote '${id}' for its customer and opportunity; submit a new quote for others.`,
          });
        await assertReferencesExist(em, productRefs(input.lines));
        const sentBack = await quotes.findVersion(id, quote.currentVersion);
        await quotes.writeDraftVersion(quote, {
          version: next,
          // Priced below, in this transaction.
          lines: input.lines.map((line) => ({
            ...line,
            listPriceCents: 0,
            unitPriceCents: 0,
            discountCents: 0,
            lineTotalCents: 0,
          })),
          requestedDiscountPercent: input.requestedDiscountPercent ?? sentBack?.requestedDiscountPercent ?? 0,
          changeReason: input.changeReason ?? null,
          createdBy: principal.userId,
        });
        await priceQuoteInRequest(em, id, next);
      });
      return { quote: await quoteView(principal, id) };
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
