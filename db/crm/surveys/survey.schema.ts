import { Type, type Static, type TSchema } from 'typebox';
import { CustomerLocale, Text } from '../fields/field-schemas';
import type { CrmInputProblem } from '../fields/validate-input';

/*
 * A satisfaction survey, its invitations and responses, written once: the question format and the
 * checks of answers, the records the API and the activities return, and the survey activities'
 * parameters and results.
 */

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const TEXT_ANSWER_MAX = 4000;

/**
 * Survey questions and the answers to them: the API validates definitions and responses with
 * these; the survey activities read stored questions and answers as these types. The schema
 * checks each question's shape; the rules that span fields (unique ids, options only for choice
 * questions) and the answers, which depend on the questions, are checked by the functions below,
 * every problem reported at once.
 */
export const SurveyQuestion = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_-]+$' }),
    text: Text(500),
    kind: Type.Enum(['rating', 'single', 'multiple', 'text'], {
      description: 'rating: 1..5; single/multiple: from options',
    }),
    options: Type.Optional(Type.Array(Text(200), { minItems: 2, maxItems: 20, uniqueItems: true })),
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SurveyQuestion = Static<typeof SurveyQuestion>;
export const SurveyQuestions = Type.Array(SurveyQuestion, { minItems: 1, maxItems: 50 });

export const CreateSurveyInput = Type.Object(
  {
    name: Text(),
    questions: SurveyQuestions,
  },
  { additionalProperties: false },
);
export type CreateSurveyInput = Static<typeof CreateSurveyInput>;

export const SurveyAnswer = Type.Union([
  Type.Number(),
  Type.String({ maxLength: TEXT_ANSWER_MAX }),
  Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
]);
export const SurveyResponseInput = Type.Object(
  {
    answers: Type.Record(Type.String({ maxLength: 50 }), SurveyAnswer),
  },
  { additionalProperties: false },
);
export type SurveyAnswers = Record<string, number | string | string[]>;

/** What the schema cannot say about a question list: ids are unique, choice questions have options. */
export function checkSurveyQuestions(questions: readonly SurveyQuestion[]): CrmInputProblem[] {
  const problems: CrmInputProblem[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.id)) problems.push({ path: `/questions/${i}/id`, message: `duplicate question id '${q.id}'` });
    seen.add(q.id);
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (choice && !q.options)
      problems.push({ path: `/questions/${i}/options`, message: `a '${q.kind}' question needs options` });
    if (!choice && q.options)
      problems.push({ path: `/questions/${i}/options`, message: `a '${q.kind}' question takes no options` });
  });
  return problems;
}

/** Checks answers against the survey's questions; paths point into `/answers`. */
export function checkSurveyAnswers(
  questions: readonly SurveyQuestion[],
  answers: Readonly<Record<string, unknown>>,
): CrmInputProblem[] {
  const problems: CrmInputProblem[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id))
      problems.push({ path: `/answers/${pointerToken(id)}`, message: 'is not a question of this survey' });
  }
  for (const q of questions) {
    const path = `/answers/${pointerToken(q.id)}`;
    const answer = answers[q.id];
    if (isUnanswered(answer)) {
      if (q.required) problems.push({ path, message: 'is required' });
      continue;
    }
    const problem = answerProblem(q, answer);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}

/** Blank text and an empty choice list count as no answer, so they cannot satisfy `required`. */
function isUnanswered(answer: unknown): boolean {
  return (
    answer === undefined ||
    answer === null ||
    (typeof answer === 'string' && answer.trim() === '') ||
    (Array.isArray(answer) && answer.length === 0)
  );
}

function answerProblem(q: SurveyQuestion, answer: unknown): string | null {
  const options = q.options ?? [];
  switch (q.kind) {
    case 'rating':
      return isRating(answer) ? null : `must be a rating from ${RATING_MIN} to ${RATING_MAX}`;
    case 'text':
      if (typeof answer !== 'string') return 'must be text';
      return answer.length <= TEXT_ANSWER_MAX ? null : `must be at most ${TEXT_ANSWER_MAX} characters`;
    case 'single':
      return typeof answer === 'string' && options.includes(answer) ? null : `must be one of: ${options.join(', ')}`;
    case 'multiple':
      if (!Array.isArray(answer) || !answer.every((a) => typeof a === 'string' && options.includes(a))) {
        return `must be a list of choices from: ${options.join(', ')}`;
      }
      return new Set(answer).size === answer.length ? null : 'lists a choice twice';
  }
}

/** A rating answer: a whole number from RATING_MIN to RATING_MAX. */
export function isRating(answer: unknown): answer is number {
  return Number.isInteger(answer) && (answer as number) >= RATING_MIN && (answer as number) <= RATING_MAX;
}

/** The mean of the rating answers, two decimals, or null when none was rated. */
export function surveyScore(
  questions: readonly SurveyQuestion[],
  answers: Readonly<Record<string, unknown>>,
): number | null {
  const ratings = questions
    .filter((q) => q.kind === 'rating')
    .map((q) => answers[q.id])
    .filter(isRating);
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length + Number.EPSILON) * 100) / 100;
}

function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/* The records. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

export const InvitationStatus = Type.Enum(['sent', 'reminded', 'responded', 'expired']);
export type InvitationStatus = Static<typeof InvitationStatus>;

export const SurveyRecord = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    questions: Type.Array(Type.Unknown()),
    active: Type.Boolean(),
    createdAt: Timestamp,
  },
  { additionalProperties: true, description: 'A satisfaction survey.' },
);
export type SurveyRecord = Static<typeof SurveyRecord>;

export const SurveyInvitationRecord = Type.Object(
  {
    id: Type.String(),
    surveyId: Type.String(),
    customerId: Nullable(Type.String()),
    email: Type.Optional(Type.String({ description: 'The address invited; omitted for roles without contacts.read' })),
    triggerRef: Type.String(),
    status: InvitationStatus,
    remindersSent: Type.Integer(),
    sentAt: Timestamp,
    lastRemindedAt: Nullable(Timestamp),
    expiresAt: Nullable(Timestamp),
  },
  { additionalProperties: true, description: 'An invitation to answer a survey.' },
);
export type SurveyInvitationRecord = Static<typeof SurveyInvitationRecord>;

export const SurveyInvitationView = Type.Object(
  {
    ...SurveyInvitationRecord.properties,
    survey: Type.Pick(SurveyRecord, ['id', 'name', 'questions']),
  },
  { additionalProperties: true, description: "An invitation with the survey's questions." },
);
export type SurveyInvitationView = Static<typeof SurveyInvitationView>;

export const SurveyResponseRecord = Type.Object(
  {
    id: Type.String(),
    invitationId: Type.String(),
    answers: Type.Record(Type.String(), Type.Unknown()),
    score: Nullable(Type.Number()),
    createdAt: Timestamp,
  },
  { additionalProperties: true, description: 'A response to a survey invitation.' },
);
export type SurveyResponseRecord = Static<typeof SurveyResponseRecord>;

/** What answering an invitation returns. */
export const SurveyResponseReceived = Type.Object(
  {
    ...SurveyResponseRecord.properties,
    processNotified: Type.Boolean(),
  },
  {
    additionalProperties: true,
    description: 'The stored response; `processNotified` says whether a running process took survey.responded.',
  },
);

/* The survey activities' parameters and results (activities/crm/service/surveys.ts, survey-follow-up.ts). */

const Ref = Type.String({ minLength: 1, maxLength: 200 });
const Keyword = Type.String({
  minLength: 1,
  pattern: '\\S',
  description: 'Latin: whole words, a trailing * matches as prefix; Chinese: any substring',
});

export const SurveyAnalysisPolicy = Type.Object(
  {
    lowScoreThreshold: Type.Optional(
      Type.Number({
        minimum: RATING_MIN,
        maximum: RATING_MAX + 1,
        description: 'An average rating below this is low; default 3',
      }),
    ),
    keywords: Type.Optional(
      Type.Array(Keyword, { description: 'Words to spot in free-text answers, English and Chinese' }),
    ),
  },
  { additionalProperties: false },
);
export type SurveyAnalysisPolicy = Static<typeof SurveyAnalysisPolicy>;

export const RatedQuestion = Type.Object({ questionId: Type.String(), text: Type.String(), rating: Type.Number() });
export type RatedQuestion = Static<typeof RatedQuestion>;

export const InvitationRef = Type.Object({ invitationId: Ref }, { additionalProperties: false });
export type InvitationRef = Static<typeof InvitationRef>;

export const CreateSurveyInvitationParams = Type.Object(
  {
    customerId: Ref,
    triggerRef: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'What the survey is about, e.g. ticket:T-1 or order:O-1',
    }),
    surveyId: Type.Optional(Type.String({ minLength: 1, description: 'Default: the oldest active survey' })),
    expiresAfter: Type.Optional(
      Type.String({ minLength: 2, description: 'ISO 8601 duration without years or months; default P14D' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSurveyInvitationParams = Static<typeof CreateSurveyInvitationParams>;

export const SurveyInvitationCreated = Type.Object({
  invitationId: Type.String(),
  surveyId: Type.String(),
  surveyTitle: Type.String(),
  email: Type.String(),
  locale: CustomerLocale,
  customerName: Type.String(),
  surveyUrl: Type.String({ description: 'Where the customer answers' }),
  expiresOn: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
  status: InvitationStatus,
});
export type SurveyInvitationCreated = Static<typeof SurveyInvitationCreated>;

export const RecordSurveyReminderParams = Type.Object(
  {
    invitationId: Ref,
    reminderNo: Type.Integer({ minimum: 1, description: 'Which reminder this is; the same number twice counts once' }),
  },
  { additionalProperties: false },
);
export type RecordSurveyReminderParams = Static<typeof RecordSurveyReminderParams>;

export const SurveyReminderRecorded = Type.Object({
  invitationId: Type.String(),
  status: InvitationStatus,
  remindersSent: Type.Integer(),
});
export type SurveyReminderRecorded = Static<typeof SurveyReminderRecorded>;

export const InvitationState = Type.Object({ invitationId: Type.String(), status: InvitationStatus });
export type InvitationState = Static<typeof InvitationState>;

export const AnalyseSurveyResponseParams = Type.Object(
  {
    invitationId: Ref,
    policy: Type.Optional(SurveyAnalysisPolicy),
  },
  { additionalProperties: false },
);
export type AnalyseSurveyResponseParams = Static<typeof AnalyseSurveyResponseParams>;

export const SurveyResponseAnalysis = Type.Object({
  invitationId: Type.String(),
  responded: Type.Boolean({ description: 'False when no response exists yet (then score is null and low false)' }),
  score: Type.Union([Type.Number(), Type.Null()], {
    description: 'Average rating, 2 decimals; null without rating answers',
  }),
  low: Type.Boolean({ description: 'The average is below policy.lowScoreThreshold' }),
  ratings: Type.Array(RatedQuestion),
  lowAreas: Type.Array(RatedQuestion, { description: 'Questions rated 2 or less' }),
  keywords: Type.Array(Type.String(), { description: 'Policy keywords found in the free-text answers' }),
});
export type SurveyResponseAnalysis = Static<typeof SurveyResponseAnalysis>;

export const OpenFollowUpTicketParams = Type.Object(
  {
    invitationId: Ref,
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Added to the ticket body' })),
    policy: Type.Optional(SurveyAnalysisPolicy),
  },
  { additionalProperties: false },
);
export type OpenFollowUpTicketParams = Static<typeof OpenFollowUpTicketParams>;

export const FollowUpTicket = Type.Object({
  ticketId: Type.String(),
  created: Type.Boolean({ description: 'False when an earlier call already opened it' }),
});
export type FollowUpTicket = Static<typeof FollowUpTicket>;
