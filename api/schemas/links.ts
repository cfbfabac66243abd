import { Type, type TSchema } from 'typebox';
import { SurveyAnswer, SurveyQuestion } from '../../db/crm/surveys';
import { LINK_KINDS, LINK_LOCALES } from '../../db/links';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const LinkTokenParam = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 2048, description: 'The signed token of a mail link (`/l/<token>`).' }),
});

/**
 * What a link's page shows. One shape for every kind: `kind` says which of `task`, `survey`,
 * `ticket` or `order` is there (with the members listed beside it).
 */
export const LinkView = Type.Object(
  {
    kind: Type.Enum([...LINK_KINDS]),
    locale: Type.Enum([...LINK_LOCALES], { description: "The recipient's language: the page speaks it." }),
    expiresAt: DateTime,
    used: Type.Boolean({ description: 'A single-use link that has acted (task action, survey, ticket).' }),
    task: Type.Optional(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        description: Nullable(Type.String()),
        outcome: Type.String({ description: 'The outcome this link gives the task.' }),
        outcomeLabel: Type.String(),
        status: Type.String(),
        closedOutcome: Nullable(Type.String({ description: 'The outcome the task was closed with, by anyone.' })),
        completedBy: Nullable(Type.String({ description: 'Who completed it (their name).' })),
        completedAt: Nullable(DateTime),
      }),
    ),
    recipientName: Type.Optional(Type.String({ description: 'task-action: the person the link acts as.' })),
    survey: Type.Optional(Type.Object({ title: Type.String(), questions: Type.Array(SurveyQuestion) })),
    customerName: Type.Optional(Type.String()),
    answered: Type.Optional(Type.Boolean()),
    ticket: Type.Optional(
      Type.Object({
        id: Type.String(),
        subject: Type.String(),
        status: Type.String(),
        createdAt: DateTime,
        respondedAt: Nullable(DateTime),
        resolvedAt: Nullable(DateTime),
        closedAt: Nullable(DateTime),
        resolution: Nullable(Type.String()),
      }),
    ),
    mayConfirm: Type.Optional(Type.Boolean()),
    mayReopen: Type.Optional(Type.Boolean()),
    order: Type.Optional(
      Type.Object({
        id: Type.String(),
        status: Type.String(),
        createdAt: DateTime,
        updatedAt: DateTime,
        lines: Type.Array(
          Type.Object({ product: Type.String(), quantity: Type.Integer(), shippedQuantity: Type.Integer() }),
        ),
        shipments: Type.Array(
          Type.Object({
            status: Type.String(),
            createdAt: DateTime,
            lines: Type.Array(Type.Object({ product: Type.String(), quantity: Type.Integer() })),
          }),
        ),
      }),
    ),
  },
  { additionalProperties: false },
);

/** What each kind's page posts: nothing (task action), `{ answers }` (survey), `{ action, comment? }` (ticket). */
export const LinkActionBody = Type.Object(
  {
    answers: Type.Optional(Type.Record(Type.String({ maxLength: 50 }), SurveyAnswer)),
    action: Type.Optional(Type.Enum(['confirm', 'reopen'])),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
