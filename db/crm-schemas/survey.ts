import { Type, type Static } from 'typebox';
import { Text } from './common';
import type { CrmInputProblem } from './validate';

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const TEXT_ANSWER_MAX = 4000;

/**
 * Survey questions and the answers to them, written once: the API validates definitions and
 * responses with these; the survey activities read stored questions and answers as these types. The schema checks each question's shape; the rules
 * that span fields (unique ids, options only for choice questions) and the answers, which depend
 * on the questions, are checked by the functions below, every problem reported at once.
 */
export const SurveyQuestion = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_-]+$' }),
  text: Text(500),
  kind: Type.Enum(['rating', 'single', 'multiple', 'text'], { description: 'rating: 1..5; single/multiple: from options' }),
  options: Type.Optional(Type.Array(Text(200), { minItems: 2, maxItems: 20, uniqueItems: true })),
  required: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type SurveyQuestion = Static<typeof SurveyQuestion>;
export const SurveyQuestions = Type.Array(SurveyQuestion, { minItems: 1, maxItems: 50 });

export const CreateSurveyInput = Type.Object({
  name: Text(),
  questions: SurveyQuestions,
}, { additionalProperties: false });
export type CreateSurveyInput = Static<typeof CreateSurveyInput>;

export const SurveyAnswer = Type.Union([Type.Number(), Type.String({ maxLength: TEXT_ANSWER_MAX }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })]);
export const SurveyResponseInput = Type.Object({
  answers: Type.Record(Type.String({ maxLength: 50 }), SurveyAnswer),
}, { additionalProperties: false });
export type SurveyAnswers = Record<string, number | string | string[]>;

/** What the schema cannot say about a question list: ids are unique, choice questions have options. */
export function checkSurveyQuestions(questions: readonly SurveyQuestion[]): CrmInputProblem[] {
  const problems: CrmInputProblem[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.id)) problems.push({ path: `/questions/${i}/id`, message: `duplicate question id '${q.id}'` });
    seen.add(q.id);
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (choice && !q.options) problems.push({ path: `/questions/${i}/options`, message: `a '${q.kind}' question needs options` });
    if (!choice && q.options) problems.push({ path: `/questions/${i}/options`, message: `a '${q.kind}' question takes no options` });
  });
  return problems;
}

/** Checks answers against the survey's questions; paths point into `/answers`. */
export function checkSurveyAnswers(questions: readonly SurveyQuestion[], answers: Readonly<Record<string, unknown>>): CrmInputProblem[] {
  const problems: CrmInputProblem[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) problems.push({ path: `/answers/${pointerToken(id)}`, message: 'is not a question of this survey' });
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
  return answer === undefined || answer === null
    || (typeof answer === 'string' && answer.trim() === '')
    || (Array.isArray(answer) && answer.length === 0);
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
export function surveyScore(questions: readonly SurveyQuestion[], answers: Readonly<Record<string, unknown>>): number | null {
  const ratings = questions.filter((q) => q.kind === 'rating').map((q) => answers[q.id]).filter(isRating);
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length + Number.EPSILON) * 100) / 100;
}

function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
