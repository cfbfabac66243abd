import { describe, expect, it } from '@jest/globals';
import type { SurveyQuestion } from '../../../../../db/crm/surveys/survey.schema';
import { analyseSurveyAnswers } from '../../../../../activities/crm/service/survey-analysis';

const QUESTIONS: SurveyQuestion[] = [
  { id: 'speed', text: 'Speed of the response', kind: 'rating' },
  { id: 'staff', text: 'Friendliness of the staff', kind: 'rating' },
  { id: 'result', text: 'Was the problem solved?', kind: 'rating' },
  { id: 'channel', text: 'Channel', kind: 'single', options: ['phone', 'slow mail'] },
  { id: 'comment', text: 'Anything else?', kind: 'text' },
];

describe('analyseSurveyAnswers', () => {
  it('averages the ratings to 2 decimals and calls an average below 3 low, with the areas rated 2 or less', () => {
    const analysis = analyseSurveyAnswers(QUESTIONS, { speed: 1, staff: 2, result: 4, comment: 'Far too slow.' });
    expect(analysis).toEqual({
      score: 2.33,
      low: true,
      ratings: [
        { questionId: 'speed', text: 'Speed of the response', rating: 1 },
        { questionId: 'staff', text: 'Friendliness of the staff', rating: 2 },
        { questionId: 'result', text: 'Was the problem solved?', rating: 4 },
      ],
      lowAreas: [
        { questionId: 'speed', text: 'Speed of the response', rating: 1 },
        { questionId: 'staff', text: 'Friendliness of the staff', rating: 2 },
      ],
      keywords: ['slow*'],
    });
  });

  it('is not low at exactly the threshold, but still lists a poorly rated area', () => {
    const analysis = analyseSurveyAnswers(QUESTIONS, { speed: 2, staff: 3, result: 4 });
    expect(analysis.score).toBe(3);
    expect(analysis.low).toBe(false);
    expect(analysis.lowAreas.map((a) => a.questionId)).toEqual(['speed']);
  });

  it('follows the policy threshold', () => {
    expect(analyseSurveyAnswers(QUESTIONS, { speed: 4, staff: 3, result: 4 }, { lowScoreThreshold: 4 })).toMatchObject({
      score: 3.67,
      low: true,
      lowAreas: [],
    });
  });

  it('finds Chinese keywords as substrings and English ones as whole words, only in text answers', () => {
    const analysis = analyseSurveyAnswers(QUESTIONS, {
      speed: 5,
      channel: 'slow mail',
      comment: '客服态度不好，价格太贵。Translated late: rude!',
    });
    expect(analysis.keywords).toEqual(['rude', 'late', '贵', '态度']);
    expect(analyseSurveyAnswers(QUESTIONS, { comment: 'translate the manual' }).keywords).toEqual([]);
  });

  it('uses the keywords of the policy instead of the defaults', () => {
    const analysis = analyseSurveyAnswers(
      QUESTIONS,
      { comment: 'The invoice was wrong, and it was rude.' },
      { keywords: ['invoice', '发票'] },
    );
    expect(analysis.keywords).toEqual(['invoice']);
  });

  it('has no score without rating answers, and ignores ratings outside 1–5 and answers of other kinds', () => {
    expect(analyseSurveyAnswers(QUESTIONS, { comment: 'ok' })).toEqual({
      score: null,
      low: false,
      ratings: [],
      lowAreas: [],
      keywords: [],
    });
    expect(analyseSurveyAnswers(QUESTIONS, { speed: 9, staff: '1', result: 5 })).toMatchObject({
      score: 5,
      low: false,
    });
  });
});
