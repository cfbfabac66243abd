import { ApplicationFailure } from '@temporalio/activity';
import { Type } from 'typebox';
import { OrderRepository } from '../../db/crm/orders/order.repository';
import { TicketRepository } from '../../db/crm/tickets';
import { linkLocaleOf } from '../../db/links';
import { defineActivity } from '../activity-definition';
import { mintLink, publicPageUrl } from './mail-links';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a customer can follow a record from a mail: a ticket through its handling, an order through delivery. */
const VALID_FOR_MS = { ticket: 30 * DAY_MS, order: 90 * DAY_MS } as const;

export const CustomerLinkParams = Type.Object(
  {
    kind: Type.Enum(['ticket', 'order'], { description: 'What the link opens' }),
    id: Type.String({ minLength: 1, maxLength: 200, description: 'The ticket or order id' }),
    locale: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 35,
        description: "The customer's language (the page speaks it); default en",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CustomerLink = Type.Object({
  url: Type.String({ description: 'The page to put in the mail: <PUBLIC_URL>/l/<signed token>' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Signed links to the customer's own pages, for the mails that tell customers about their records. */
export const customerLinkActivities = [
  defineActivity({
    name: 'links.customerLink',
    contract: {
      description:
        "A signed link for a customer's mail to their ticket (confirm or reopen it; valid 30 days) or order (status and shipments; 90 days), no sign-in needed.",
      params: CustomerLinkParams,
      result: CustomerLink,
    },
    /**
     * Signs a link to the record for whom it was reported or ordered by (the ticket's contact, else
     * its customer; the order's customer): the page shows the record only to that recipient's link.
     * A worker without the server secret links the API's record instead, as mails did before links.
     */
    async run({ kind, id, locale }, deps) {
      const em = deps.orm.em.fork();
      let recipient: string;
      if (kind === 'ticket') {
        const ticket = (await new TicketRepository(em).find(id)) ?? refuse('ticket.unknown', `no ticket ${id}`);
        recipient =
          ticket.contact?.id ?? ticket.customer?.id ?? refuse('links.no-recipient', `ticket ${id} has no customer`);
      } else {
        const order = (await new OrderRepository(em).find(id)) ?? refuse('order.unknown', `no order ${id}`);
        recipient = order.customer.id;
      }
      const now = (deps.now ?? (() => new Date()))();
      const expiresAt = new Date(now.getTime() + VALID_FOR_MS[kind]);
      const url =
        mintLink(deps, { kind, subject: id, recipient, locale: linkLocaleOf(locale), expiresAt }) ??
        publicPageUrl(deps, `/api/v1/${kind}s/${encodeURIComponent(id)}`);
      return { url, expiresAt: expiresAt.toISOString() };
    },
  }),
] as const;
