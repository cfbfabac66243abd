import { Alert, Button, Empty, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallStep, ProcessPlan } from '../../../../dsl/plan';
import { problemMessage } from '../../shared/problem-message';
import { BacktestView } from './backtest-view';
import { planSteps } from './plan-steps';
import { RuleAnswer } from './rule-answer';
import { sampleOf } from './schema-sample';
import { whatIf, type JsonSchema, type TemplateLanguage } from './studio-api';

export interface PolicyPanelProps {
  templateKey: string;
  plan: ProcessPlan | null;
  language: TemplateLanguage;
  source: () => string;
  stepId: string | undefined;
  onStep: (stepId: string) => void;
}

type Request = Record<string, unknown>;

/** For the CRM policy steps (rule activities): what would this request need under the draft, and how would recent records change. */
export function PolicyPanel({ templateKey, plan, language, source, stepId, onStep }: PolicyPanelProps) {
  const { t } = useTranslation();
  const rules = useMemo(() => new Map(language.activities.filter((a) => a.rule).map((a) => [a.name, a])), [language]);
  const ruleSteps = useMemo(
    () => (plan ? planSteps(plan) : []).filter((s): s is CallStep => s.kind === 'call' && rules.has(s.activity)),
    [plan, rules],
  );
  const step = ruleSteps.find((s) => s.id === stepId) ?? ruleSteps[0];
  const activity = step ? rules.get(step.activity) : undefined;
  const fields = Object.entries(activity?.params.properties ?? {}).filter(
    ([name]) => name !== activity?.rule?.policyParam,
  );
  const [requests, setRequests] = useState<Record<string, Request>>({});
  const request: Request =
    (step && requests[step.id]) ?? Object.fromEntries(fields.map(([name, schema]) => [name, sampleOf(schema)]));
  const ask = useMutation({
    mutationFn: (args: { stepId: string; request: Request }) => whatIf(templateKey, { source: source(), ...args }),
  });

  if (!plan) return <Alert type="info" title={t('studio.dryRun.needsPlan')} />;
  if (!step || !activity) return <Empty description={t('studio.policy.none')} />;
  const setField = (name: string, value: unknown) =>
    setRequests({ ...requests, [step.id]: { ...request, [name]: value } });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="policy-panel">
      <Select
        data-testid="policy-step"
        style={{ minWidth: 240 }}
        value={step.id}
        onChange={onStep}
        options={ruleSteps.map((s) => ({ value: s.id, label: `${s.id} (${s.activity})` }))}
      />
      <Typography.Text type="secondary">{activity.description}</Typography.Text>
      <Typography.Title level={5}>{t('studio.policy.whatIf')}</Typography.Title>
      <Form layout="vertical" size="small">
        {fields.map(([name, schema]) => (
          <Form.Item key={name} label={name} tooltip={schema.description}>
            <RequestField
              schema={schema}
              value={request[name]}
              testId={`what-if-${name}`}
              onChange={(v) => setField(name, v)}
            />
          </Form.Item>
        ))}
      </Form>
      <Button
        type="primary"
        data-testid="what-if-run"
        loading={ask.isPending}
        onClick={() => ask.mutate({ stepId: step.id, request })}
      >
        {t('studio.policy.ask')}
      </Button>
      {ask.isError && <Alert type="error" title={problemMessage(t, ask.error)} />}
      {ask.data && <RuleAnswer answer={ask.data} />}
      {activity.rule?.records && (
        <BacktestView templateKey={templateKey} stepId={step.id} records={activity.rule.records} source={source} />
      )}
    </Space>
  );
}

function RequestField(props: {
  schema: JsonSchema;
  value: unknown;
  testId: string;
  onChange: (value: unknown) => void;
}) {
  const { schema, value, testId, onChange } = props;
  const [text, setText] = useState(() => JSON.stringify(value ?? null));
  if (schema.type === 'number' || schema.type === 'integer') {
    return (
      <InputNumber
        data-testid={testId}
        style={{ width: '100%' }}
        value={typeof value === 'number' ? value : null}
        onChange={(n) => onChange(n ?? 0)}
      />
    );
  }
  if (schema.type === 'string') {
    return (
      <Input
        data-testid={testId}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <Input.TextArea
      data-testid={testId}
      autoSize={{ minRows: 1, maxRows: 6 }}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(JSON.parse(e.target.value));
        } catch {
          // Half-typed JSON: keep the last value that parsed.
        }
      }}
    />
  );
}
