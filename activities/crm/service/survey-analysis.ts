import { Type, type Static } from 'typebox';
import { RATING_MAX, RATING_MIN, type SurveyQuestion } from './schemas';

/** A rating at or below this marks its question as a low area, whatever the average. */
export const LOW_AREA_MAX_RATING = 2;

const Keyword = Type.String({ minLength: 1, pattern: '\\S', description: 'Latin: whole words, a trailing * matches as prefix; Chinese: any substring' });

export const SurveyAnalysisPolicy = Type.Object({
  lowScoreThreshold: Type.Optional(Type.Number({ minimum: RATING_MIN, maximum: RATING_MAX + 1, description: 'An average rating below this is low; default 3' })),
  keywords: Type.Optional(Type.Array(Keyword, { description: 'Words to spot in free-text answers, English and Chinese' })),
}, { additionalProperties: false });
export type SurveyAnalysisPolicy = Static<typeof SurveyAnalysisPolicy>;

export const DEFAULT_LOW_SCORE_THRESHOLD = 3;
export const DEFAULT_SURVEY_KEYWORDS: readonly string[] = [
  'slow*', 'expensive', 'rude', 'broken', 'late', 'unhelpful', 'never again',
  '慢', '贵', '态度', '故障', '没人理', '投诉',
];

export const RatedQuestion = Type.Object({ questionId: Type.String(), text: Type.String(), rating: Type.Number() });
export type RatedQuestion = Static<typeof RatedQuestion>;

export interface SurveyAnalysis {
  /** Average of the rating answers, 2 decimals; null when no rating question was answered. */
  score: number | null;
  low: boolean;
  ratings: RatedQuestion[];
  lowAreas: RatedQuestion[];
  keywords: string[];
}

/**
 * Reads a survey response: the average of its ratings, the questions rated poorly and the policy
 * keywords found in its free-text answers. `low` is the average alone against the threshold —
 * with ratings of 1–5 an average below 3 always has a rating of 2 or less, so a rule "any low
 * area is low" would make the threshold meaningless; low areas are reported for the follow-up.
 */
export function analyseSurveyAnswers(
  questions: readonly SurveyQuestion[], answers: Readonly<Record<string, unknown>>, policy: SurveyAnalysisPolicy = {},
): SurveyAnalysis {
  const threshold = policy.lowScoreThreshold ?? DEFAULT_LOW_SCORE_THRESHOLD;
  const ratings: RatedQuestion[] = [];
  const texts: string[] = [];
  for (const question of questions) {
    const answer = answers[question.id];
    if (question.kind === 'rating' && isRating(answer)) ratings.push({ questionId: question.id, text: question.text, rating: answer });
    if (question.kind === 'text' && typeof answer === 'string') texts.push(answer);
  }
  const score = ratings.length === 0 ? null : round2(ratings.reduce((sum, r) => sum + r.rating, 0) / ratings.length);
  const openText = texts.join('\n').normalize('NFKC');
  return {
    score,
    low: score !== null && score < threshold,
    ratings,
    lowAreas: ratings.filter((r) => r.rating <= LOW_AREA_MAX_RATING),
    keywords: [...new Set(policy.keywords ?? DEFAULT_SURVEY_KEYWORDS)].filter((keyword) => keywordPattern(keyword).test(openText)),
  };
}

function isRating(answer: unknown): answer is number {
  return typeof answer === 'number' && Number.isFinite(answer) && answer >= RATING_MIN && answer <= RATING_MAX;
}

function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

// The same matching as the ticket classifier: Chinese has no spaces between words, so a Chinese
// keyword is a substring; a Latin one is a whole word ("late" is not in "translate").
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_BEFORE = '(?<![\\p{Script=Latin}\\p{N}_])';
const WORD_AFTER = '(?![\\p{Script=Latin}\\p{N}_])';

function keywordPattern(keyword: string): RegExp {
  const word = keyword.normalize('NFKC').trim();
  if (UNSPACED_SCRIPT.test(word)) return new RegExp(escapeRegExp(word), 'iu');
  const prefix = word.endsWith('*');
  const stem = (prefix ? word.slice(0, -1) : word).trim();
  // A lone "*" would match everything; it is treated as matching nothing.
  if (stem === '') return /(?!)/u;
  const body = stem.split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`${WORD_BEFORE}${body}${prefix ? '' : WORD_AFTER}`, 'iu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
