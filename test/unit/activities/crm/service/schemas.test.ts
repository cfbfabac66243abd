import { describe, expect, it } from '@jest/globals';
import { Value } from 'typebox/value';
import {
  checkSurveyAnswers, checkSurveyQuestions, SurveyAnswers, SurveyQuestions, type SurveyQuestion,
} from '../../../../../activities/crm/service/schemas';

const QUESTIONS: SurveyQuestion[] = [
  { id: 'overall', text: 'How satisfied are you overall?', kind: 'rating', required: true },
  { id: 'channel', text: 'How did you contact us?', kind: 'single', options: ['phone', 'email', 'chat'] },
  { id: 'topics', text: 'What was it about?', kind: 'multiple', options: ['billing', 'delivery', 'product'] },
  { id: 'comment', text: 'Anything else?', kind: 'text' },
];

describe('survey format', () => {
  it('accepts the four question kinds and refuses unknown kinds, missing options and extra fields', () => {
    expect(Value.Check(SurveyQuestions, QUESTIONS)).toBe(true);
    expect(Value.Check(SurveyQuestions, [{ id: 'q', text: 'Q', kind: 'slider' }])).toBe(false);
    expect(Value.Check(SurveyQuestions, [{ id: 'q', text: 'Q', kind: 'single' }])).toBe(false);
    expect(Value.Check(SurveyQuestions, [{ id: 'q', text: 'Q', kind: 'text', colour: 'red' }])).toBe(false);
    expect(Value.Check(SurveyQuestions, [])).toBe(false);
  });

  it('types answers as numbers, strings or lists of strings', () => {
    expect(Value.Check(SurveyAnswers, { overall: 4, channel: 'chat', topics: ['billing'], comment: '很好' })).toBe(true);
    expect(Value.Check(SurveyAnswers, { overall: { value: 4 } })).toBe(false);
  });

  it('reports duplicate question ids', () => {
    expect(checkSurveyQuestions(QUESTIONS)).toEqual([]);
    expect(checkSurveyQuestions([...QUESTIONS, { id: 'overall', text: 'Again', kind: 'text' }])).toEqual(["question id 'overall' is used twice"]);
  });
});

describe('checkSurveyAnswers', () => {
  it('accepts a complete and an answers-only-the-required response', () => {
    expect(checkSurveyAnswers(QUESTIONS, { overall: 5, channel: 'phone', topics: ['billing', 'product'], comment: 'Fine' })).toEqual([]);
    expect(checkSurveyAnswers(QUESTIONS, { overall: 1 })).toEqual([]);
  });

  it('reports a missing required answer, counting blank text and empty lists as missing', () => {
    expect(checkSurveyAnswers(QUESTIONS, {})).toEqual(["question 'overall' must be answered"]);
    const required: SurveyQuestion[] = [
      { id: 'why', text: 'Why?', kind: 'text', required: true },
      { id: 'which', text: 'Which?', kind: 'multiple', options: ['a'], required: true },
    ];
    expect(checkSurveyAnswers(required, { why: '   ', which: [] })).toEqual([
      "question 'why' must be answered", "question 'which' must be answered",
    ]);
  });

  it('reports every wrong answer at once, and answers to questions the survey does not have', () => {
    expect(checkSurveyAnswers(QUESTIONS, { overall: 6, channel: 'fax', topics: ['billing', 'billing'], comment: 3, extra: 'x' })).toEqual([
      "'extra' is not a question of this survey",
      "question 'overall' takes a whole number from 1 to 5",
      "question 'channel' takes one of: phone, email, chat",
      "question 'topics' lists an option twice",
      "question 'comment' takes text",
    ]);
  });

  it.each([[0], [2.5], ['4'], [[4]]])('refuses %p as a rating', (rating) => {
    expect(checkSurveyAnswers(QUESTIONS, { overall: rating })).toEqual(["question 'overall' takes a whole number from 1 to 5"]);
  });

  it('refuses options outside the list and overlong text', () => {
    expect(checkSurveyAnswers(QUESTIONS, { overall: 3, topics: ['billing', 'weather'] })).toEqual(["question 'topics' takes a list of: billing, delivery, product"]);
    expect(checkSurveyAnswers(QUESTIONS, { overall: 3, comment: 'x'.repeat(4001) })).toEqual(["question 'comment' takes at most 4000 characters"]);
  });
});
