import { Type, type Static } from 'typebox';
import { Text } from './common';
import type { CrmInputProblem } from './validate';

/**
 * Survey questions and the answers to them. The schema checks each question's shape; the rules
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

export const CreateSurveyInput = Type.Object({
  name: Text(),
  questions: Type.Array(SurveyQuestion, { minItems: 1, maxItems: 50 }),
}, { additionalProperties: false });
export type CreateSurveyInput = Static<typeof CreateSurveyInput>;

export const SurveyAnswer = Type.Union([Type.Number(), Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })]);
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
export function checkSurveyAnswers(questions: readonly SurveyQuestion[], answers: SurveyAnswers): CrmInputProblem[] {
  const problems: CrmInputProblem[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) problems.push({ path: `/answers/${pointerToken(id)}`, message: 'is not a question of this survey' });
  }
  for (const q of questions) {
    const path = `/answers/${pointerToken(q.id)}`;
    const answer = answers[q.id];
    if (answer === undefined) {
      if (q.required) problems.push({ path, message: 'is required' });
      continue;
    }
    const problem = answerProblem(q, answer);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}

function answerProblem(q: SurveyQuestion, answer: number | string | string[]): string | null {
  switch (q.kind) {
    case 'rating':
      return typeof answer === 'number' && Number.isInteger(answer) && answer >= 1 && answer <= 5 ? null : 'must be a rating from 1 to 5';
    case 'text':
      return typeof answer === 'string' ? null : 'must be text';
    case 'single':
      return typeof answer === 'string' && (q.options ?? []).includes(answer) ? null : `must be one of: ${(q.options ?? []).join(', ')}`;
    case 'multiple':
      return Array.isArray(answer) && answer.every((a) => (q.options ?? []).includes(a)) && new Set(answer).size === answer.length
        ? null : `must be a list of distinct choices from: ${(q.options ?? []).join(', ')}`;
  }
}

/** The mean of the rating answers (1..5), or null when none was rated. */
export function surveyScore(questions: readonly SurveyQuestion[], answers: SurveyAnswers): number | null {
  const ratings = questions.filter((q) => q.kind === 'rating').map((q) => answers[q.id]).filter((a): a is number => typeof a === 'number');
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100;
}

function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
