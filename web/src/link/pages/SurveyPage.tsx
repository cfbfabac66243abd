import { Button, Checkbox, Form, Input, Radio, Rate, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPageProps } from '../LinkApp';
import { actOnLink, type LinkProblem, type SurveyAnswer, type SurveyQuestion, type SurveyView } from '../link-api';
import { formatDate } from '../link-locale';
import { LinkProblemResult } from './LinkProblemResult';

type Answers = Record<string, SurveyAnswer | undefined>;

/** Unanswered questions are left out: the API counts a blank text or an empty choice as no answer. */
function answersToSend(answers: Answers): Record<string, SurveyAnswer> {
  const sent: Record<string, SurveyAnswer> = {};
  for (const [id, answer] of Object.entries(answers)) {
    if (answer === undefined || answer === null || answer === 0) continue;
    if (typeof answer === 'string' && answer.trim() === '') continue;
    if (Array.isArray(answer) && answer.length === 0) continue;
    sent[id] = typeof answer === 'string' ? answer.trim() : answer;
  }
  return sent;
}

/** The question id a 400's error path points at: `/body/answers/<id>` (JSON Pointer escaped). */
function questionIdOf(path: string): string | null {
  const match = /\/answers\/([^/]+)$/.exec(path);
  return match?.[1] ? match[1].replaceAll('~1', '/').replaceAll('~0', '~') : null;
}

/** A customer answers the survey a mail invited them to; each question checked here and by the API. */
export function SurveyPage({ token, locale, view }: LinkPageProps<SurveyView>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Answers>();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<'done' | LinkProblem | null>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const { survey } = view;

  if (outcome === 'done') {
    return <Result status="success" title={t('survey.thanksTitle')} subTitle={t('survey.thanksDetail')} />;
  }
  if (outcome) return <LinkProblemResult kind="survey" problem={outcome} />;
  if (view.answered)
    return <LinkProblemResult kind="survey" problem={{ status: 409, slug: 'survey-answered', title: '' }} />;
  if (view.used) return <LinkProblemResult kind="survey" problem={{ status: 410, slug: 'link-used', title: '' }} />;

  const submit = async (answers: Answers) => {
    setSending(true);
    setFormProblem(null);
    const result = await actOnLink(token, { answers: answersToSend(answers) }, locale);
    setSending(false);
    if (result.ok) return setOutcome('done');
    const { problem } = result;
    if (problem.status === 400 && problem.errors?.length) {
      const byQuestion = new Map<string, string[]>();
      for (const error of problem.errors) {
        const id = questionIdOf(error.path);
        if (!id || !survey.questions.some((q) => q.id === id)) continue;
        const message = error.message === 'is required' ? t('survey.required') : t('survey.invalid');
        byQuestion.set(id, [...(byQuestion.get(id) ?? []), message]);
      }
      form.setFields([...byQuestion].map(([name, errors]) => ({ name, errors })));
      if (byQuestion.size === 0) setFormProblem(t('survey.invalid'));
      return;
    }
    if (problem.status >= 400 && problem.status < 500 && problem.status !== 429) return setOutcome(problem);
    setFormProblem(t('problem.other.detail'));
  };

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {survey.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {view.customerName ? t('survey.introNamed', { name: view.customerName }) : t('survey.intro')}
        {view.expiresAt && (
          <>
            <br />
            {t('survey.answerBy', { date: formatDate(view.expiresAt) })}
          </>
        )}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark onFinish={(answers) => void submit(answers)} scrollToFirstError>
        {survey.questions.map((question, index) => (
          <Form.Item
            key={question.id}
            name={question.id}
            className="link-question"
            label={`${index + 1}. ${question.text}`}
            rules={question.required ? [requiredRule(question, t('survey.required'))] : []}
          >
            <AnswerInput question={question} />
          </Form.Item>
        ))}
        {formProblem && <Typography.Paragraph type="danger">{formProblem}</Typography.Paragraph>}
        <Button type="primary" htmlType="submit" size="large" loading={sending} block>
          {t('survey.submit')}
        </Button>
      </Form>
    </>
  );
}

function requiredRule(question: SurveyQuestion, message: string) {
  return {
    required: true,
    message,
    validator: (_: unknown, value: SurveyAnswer | undefined) =>
      Object.keys(answersToSend({ [question.id]: value })).length > 0
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}

/** One question's input; Form.Item passes `value` and `onChange`. */
function AnswerInput({
  question,
  value,
  onChange,
}: {
  question: SurveyQuestion;
  value?: SurveyAnswer;
  onChange?: (value: SurveyAnswer) => void;
}) {
  const { t } = useTranslation();
  const options = question.options ?? [];
  switch (question.kind) {
    case 'rating':
      return (
        <div>
          <Rate
            value={typeof value === 'number' ? value : 0}
            onChange={(rating) => onChange?.(rating)}
            tooltips={[1, 2, 3, 4, 5].map((n) => t(`survey.rating.${n}`))}
            style={{ fontSize: 32 }}
          />
          {typeof value === 'number' && value > 0 && (
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {t(`survey.rating.${value}`)}
            </Typography.Text>
          )}
        </div>
      );
    case 'single':
      return (
        <Radio.Group
          value={value}
          onChange={(event) => onChange?.(event.target.value as string)}
          style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
          options={options.map((option) => ({ label: option, value: option }))}
        />
      );
    case 'multiple':
      return (
        <Checkbox.Group
          value={Array.isArray(value) ? value : []}
          onChange={(checked) => onChange?.(checked)}
          style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
          options={options.map((option) => ({ label: option, value: option }))}
        />
      );
    case 'text':
      return (
        <Input.TextArea
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange?.(event.target.value)}
          autoSize={{ minRows: 3, maxRows: 10 }}
          maxLength={4000}
          placeholder={t('survey.textPlaceholder')}
        />
      );
  }
}
