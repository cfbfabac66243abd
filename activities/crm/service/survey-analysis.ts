import { keywordPattern } from '../rules/keyword-match';
import {
  isRating,
  surveyScore,
  type RatedQuestion,
  type SurveyAnalysisPolicy,
  type SurveyQuestion,
} from '../../../db/crm/surveys/survey.schema';

/** A rating at or below this marks its question as a low area, whatever the average. */
export const LOW_AREA_MAX_RATING = 2;

export const DEFAULT_LOW_SCORE_THRESHOLD = 3;
export const DEFAULT_SURVEY_KEYWORDS: readonly string[] = [
  'slow*',
  'expensive',
  'rude',
  'broken',
  'late',
  'unhelpful',
  'never again',
  '慢',
  '贵',
  '态度',
  '故障',
  '没人理',
  '投诉',
];

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
  questions: readonly SurveyQuestion[],
  answers: Readonly<Record<string, unknown>>,
  policy: SurveyAnalysisPolicy = {},
): SurveyAnalysis {
  const threshold = policy.lowScoreThreshold ?? DEFAULT_LOW_SCORE_THRESHOLD;
  const ratings: RatedQuestion[] = [];
  const texts: string[] = [];
  for (const question of questions) {
    const answer = answers[question.id];
    if (question.kind === 'rating' && isRating(answer))
      ratings.push({ questionId: question.id, text: question.text, rating: answer });
    if (question.kind === 'text' && typeof answer === 'string') texts.push(answer);
  }
  const score = surveyScore(questions, answers);
  const openText = texts.join('\n').normalize('NFKC');
  return {
    score,
    low: score !== null && score < threshold,
    ratings,
    lowAreas: ratings.filter((r) => r.rating <= LOW_AREA_MAX_RATING),
    keywords: [...new Set(policy.keywords ?? DEFAULT_SURVEY_KEYWORDS)].filter(
      (keyword) => keywordPattern(keyword)?.test(openText) ?? false,
    ),
  };
}
