import { Type, type Static } from 'typebox';

/*
 * The satisfaction-survey format, written once: the API validates survey definitions and
 * responses against these schemas and `checkSurveyAnswers`; the survey activities read the
 * stored `surveys.questions` and `survey_responses.answers` as these types.
 */

const QuestionId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'Stable key of the question in the answers' });
const QuestionText = Type.String({ minLength: 1, maxLength: 500 });
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50, uniqueItems: true });
const Required = Type.Optional(Type.Boolean({ description: 'An answer must be given; default false' }));

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const TEXT_ANSWER_MAX = 4000;

export const SurveyQuestion = Type.Union([
  Type.Object({ id: QuestionId, text: QuestionText, kind: Type.Literal('rating'), required: Required }, { additionalProperties: false, description: `A whole number from ${RATING_MIN} to ${RATING_MAX}` }),
  Type.Object({ id: QuestionId, text: QuestionText, kind: Type.Literal('single'), options: Options, required: Required }, { additionalProperties: false, description: 'One of the options' }),
  Type.Object({ id: QuestionId, text: QuestionText, kind: Type.Literal('multiple'), options: Options, required: Required }, { additionalProperties: false, description: 'Any of the options' }),
  Type.Object({ id: QuestionId, text: QuestionText, kind: Type.Literal('text'), required: Required }, { additionalProperties: false, description: 'Free text' }),
]);
export type SurveyQuestion = Static<typeof SurveyQuestion>;

export const SurveyQuestions = Type.Array(SurveyQuestion, { minItems: 1, maxItems: 100 });
export type SurveyQuestions = Static<typeof SurveyQuestions>;

export const SurveyAnswer = Type.Union([Type.Number(), Type.String({ maxLength: TEXT_ANSWER_MAX }), Type.Array(Type.String())]);
export type SurveyAnswer = Static<typeof SurveyAnswer>;

/** Answers keyed by question id. */
export const SurveyAnswers = Type.Record(Type.String(), SurveyAnswer);
export type SurveyAnswers = Static<typeof SurveyAnswers>;

/** What the schema cannot say about a survey definition: question ids must be unique. Empty when valid. */
export function checkSurveyQuestions(questions: readonly SurveyQuestion[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const question of questions) {
    if (seen.has(question.id)) problems.push(`question id '${question.id}' is used twice`);
    seen.add(question.id);
  }
  return problems;
}

/**
 * Every problem of a response against its survey's questions, one sentence each; empty when the
 * response may be stored. Collected rather than thrown so the respondent sees them all at once.
 */
export function checkSurveyAnswers(questions: readonly SurveyQuestion[], answers: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) problems.push(`'${id}' is not a question of this survey`);
  }
  for (const question of questions) {
    const answer = answers[question.id];
    if (isUnanswered(answer)) {
      if (question.required) problems.push(`question '${question.id}' must be answered`);
      continue;
    }
    const problem = answerProblem(question, answer);
    if (problem) problems.push(`question '${question.id}' ${problem}`);
  }
  return problems;
}

function isUnanswered(answer: unknown): boolean {
  return answer === undefined || answer === null
    || (typeof answer === 'string' && answer.trim() === '')
    || (Array.isArray(answer) && answer.length === 0);
}

function answerProblem(question: SurveyQuestion, answer: unknown): string | undefined {
  switch (question.kind) {
    case 'rating':
      return Number.isInteger(answer) && (answer as number) >= RATING_MIN && (answer as number) <= RATING_MAX
        ? undefined : `takes a whole number from ${RATING_MIN} to ${RATING_MAX}`;
    case 'single':
      return typeof answer === 'string' && question.options.includes(answer)
        ? undefined : `takes one of: ${question.options.join(', ')}`;
    case 'multiple': {
      if (!Array.isArray(answer) || !answer.every((a) => typeof a === 'string' && question.options.includes(a))) {
        return `takes a list of: ${question.options.join(', ')}`;
      }
      return new Set(answer).size === answer.length ? undefined : 'lists an option twice';
    }
    case 'text':
      if (typeof answer !== 'string') return 'takes text';
      return answer.length <= TEXT_ANSWER_MAX ? undefined : `takes at most ${TEXT_ANSWER_MAX} characters`;
  }
}
