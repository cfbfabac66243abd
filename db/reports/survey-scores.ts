import { openAnswerKeywords } from './open-answer-keywords';
import { allOf, filterCondition, fractionOf, type ReportDefinition, type ReportTable } from './report-definition';

/** A rating (1..5) this low or lower is a low score. */
const LOW_RATING = 2;
/** Keywords come from the newest open answers of the period, at most this many (the report stays fast). */
const KEYWORD_ANSWERS = 5000;
const KEYWORDS_SHOWN = 50;

const RESPONSES = `survey_responses r
  join survey_invitations i on i.id = r.invitation_id
  join surveys s on s.id = i.survey_id
  left join customers c on c.id = i.customer_id`;
/** Each answer to a question of the given kind, with the question. */
const ANSWERS = (kind: string) => `${RESPONSES}
  cross join lateral jsonb_array_elements(s.questions) q
  cross join lateral (select r.answers -> (q ->> 'id') as value) a
  where q ->> 'kind' = '${kind}' and a.value is not null`;
const RATING = `(a.value)::text::numeric`;

const QUESTION_COLUMNS = [
  { key: 'surveyId', type: 'string', title: { en: 'Survey', 'zh-CN': '问卷' } },
  { key: 'questionId', type: 'string', title: { en: 'Question', 'zh-CN': '问题' } },
  { key: 'question', type: 'string', title: { en: 'Question text', 'zh-CN': '问题内容' } },
] as const;

/** Survey scores per question, their monthly trend, low-score areas, and the keywords of open answers. */
export const surveyScoresReport: ReportDefinition = {
  name: 'survey-scores',
  title: { en: 'Survey scores', 'zh-CN': '满意度调查' },
  description:
    'Responses received in the period. `view=questions`: each rating question’s answers, average (1–5) and share ' +
    `of low ratings (≤ ${LOW_RATING}); \`trend\`: responses and average score by month; \`low\`: question × customer ` +
    'region where the average is below 3, worst first; `keywords`: the words most open answers use (Chinese and ' +
    `English, from the newest ${KEYWORD_ANSWERS} open answers). Region: the customer’s; \`survey\` keeps one survey.`,
  right: 'surveys.read',
  records: 'surveys',
  dimensions: { date: 'r.created_at', region: 'c.region', owner: null },
  params: {
    view: { description: 'questions | trend | low | keywords', values: ['questions', 'trend', 'low', 'keywords'] },
    survey: { description: 'A survey id: only its responses.' },
  },
  async run(em, filters, params, visible): Promise<ReportTable> {
    const survey = params['survey'];
    const where = allOf(
      filterCondition(filters, this.dimensions),
      visible,
      survey === undefined ? { sql: 'true', params: [] } : { sql: 's.id = ?', params: [survey] },
    );
    switch (params['view']) {
      case 'trend': {
        const rows = await em.execute<{ month: string; responses: number; average: number | null; low: number }[]>(
          `select to_char(date_trunc('month', r.created_at), 'YYYY-MM') as month, count(*)::int as responses,
                  round(avg(r.score), 2)::float8 as average,
                  count(*) filter (where r.score <= ${LOW_RATING})::int as low
             from ${RESPONSES} where ${where.sql} group by 1 order by 1`,
          where.params,
        );
        return {
          columns: [
            { key: 'month', type: 'month', title: { en: 'Month', 'zh-CN': '月份' } },
            { key: 'responses', type: 'number', title: { en: 'Responses', 'zh-CN': '答卷数' } },
            { key: 'average', type: 'number', title: { en: 'Average score', 'zh-CN': '平均分' } },
            { key: 'low', type: 'number', title: { en: 'Low scores', 'zh-CN': '低分答卷' } },
          ],
          rows,
          totals: { responses: rows.reduce((sum, row) => sum + row.responses, 0) },
        };
      }
      case 'low': {
        const rows = await em.execute<
          {
            survey_id: string;
            question_id: string;
            question: string;
            region: string | null;
            answers: number;
            average: number;
          }[]
        >(
          `select s.id as survey_id, q ->> 'id' as question_id, min(q ->> 'text') as question, c.region,
                  count(*)::int as answers, round(avg(${RATING}), 2)::float8 as average
             from ${ANSWERS('rating')} and jsonb_typeof(a.value) = 'number' and ${where.sql}
            group by 1, 2, 4 having avg(${RATING}) < 3
            order by 6, 5 desc, 1, 2`,
          where.params,
        );
        return {
          columns: [
            ...QUESTION_COLUMNS,
            { key: 'region', type: 'string', title: { en: 'Region', 'zh-CN': '地区' } },
            { key: 'answers', type: 'number', title: { en: 'Answers', 'zh-CN': '回答数' } },
            { key: 'average', type: 'number', title: { en: 'Average', 'zh-CN': '平均分' } },
          ],
          rows: rows.map((row) => ({
            surveyId: row.survey_id,
            questionId: row.question_id,
            question: row.question,
            region: row.region,
            answers: row.answers,
            average: row.average,
          })),
        };
      }
      case 'keywords': {
        const texts = await em.execute<{ text: string }[]>(
          `select a.value #>> '{}' as text
             from ${ANSWERS('text')} and jsonb_typeof(a.value) = 'string' and ${where.sql}
            order by r.created_at desc limit ${KEYWORD_ANSWERS}`,
          where.params,
        );
        const keywords = openAnswerKeywords(
          texts.map((row) => row.text),
          KEYWORDS_SHOWN,
        );
        return {
          columns: [
            { key: 'keyword', type: 'string', title: { en: 'Keyword', 'zh-CN': '关键词' } },
            {
              key: 'language',
              type: 'string',
              title: { en: 'Language', 'zh-CN': '语言' },
              values: { zh: { en: 'Chinese', 'zh-CN': '中文' }, en: { en: 'English', 'zh-CN': '英文' } },
            },
            { key: 'answers', type: 'number', title: { en: 'Answers using it', 'zh-CN': '提及的回答数' } },
            { key: 'share', type: 'percent', title: { en: 'Share of answers', 'zh-CN': '占回答比例' } },
          ],
          rows: keywords.map((k) => ({ ...k, share: fractionOf(k.answers, texts.length) })),
          totals: { answers: texts.length },
        };
      }
      default: {
        const rows = await em.execute<
          { survey_id: string; question_id: string; question: string; answers: number; average: number; low: number }[]
        >(
          `select s.id as survey_id, q ->> 'id' as question_id, min(q ->> 'text') as question,
                  count(*)::int as answers, round(avg(${RATING}), 2)::float8 as average,
                  count(*) filter (where ${RATING} <= ${LOW_RATING})::int as low
             from ${ANSWERS('rating')} and jsonb_typeof(a.value) = 'number' and ${where.sql}
            group by 1, 2 order by 1, 2`,
          where.params,
        );
        return {
          columns: [
            ...QUESTION_COLUMNS,
            { key: 'answers', type: 'number', title: { en: 'Answers', 'zh-CN': '回答数' } },
            { key: 'average', type: 'number', title: { en: 'Average', 'zh-CN': '平均分' } },
            { key: 'lowShare', type: 'percent', title: { en: 'Low ratings', 'zh-CN': '低分比例' } },
          ],
          rows: rows.map((row) => ({
            surveyId: row.survey_id,
            questionId: row.question_id,
            question: row.question,
            answers: row.answers,
            average: row.average,
            lowShare: fractionOf(row.low, row.answers),
          })),
        };
      }
    }
  },
};
