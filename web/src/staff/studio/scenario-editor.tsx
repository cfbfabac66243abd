import { Button, Checkbox, Collapse, Form, Input, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallStep, ProcessPlan, ReceiveStep, TaskStep } from '../../../../dsl/plan';
import { planSteps } from './plan-steps';
import type { ScenarioDraft } from './scenario-form';
import { sampleOf } from './schema-sample';
import type { TemplateLanguage } from './studio-api';

export interface ScenarioEditorProps {
  plan: ProcessPlan | null;
  language: TemplateLanguage;
  draft: ScenarioDraft;
  onChange: (draft: ScenarioDraft) => void;
}

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 };

/** The parts of a scenario: start input, an outcome per task step, events arriving, activity results. */
export function ScenarioEditor({ plan, language, draft, onChange }: ScenarioEditorProps) {
  const { t } = useTranslation();
  const steps = useMemo(() => (plan ? planSteps(plan) : []), [plan]);
  const tasks = steps.filter((step): step is TaskStep => step.kind === 'task');
  const calls = steps.filter((step): step is CallStep => step.kind === 'call');
  const events = [...new Set(steps.filter((step): step is ReceiveStep => step.kind === 'receive').map((s) => s.event))];
  const results = useMemo(() => new Map(language.activities.map((a) => [a.name, a.result])), [language]);
  const set = (change: Partial<ScenarioDraft>) => onChange({ ...draft, ...change });

  return (
    <Form layout="vertical" size="small" data-testid="scenario-editor">
      <Form.Item label={t('studio.dryRun.input')}>
        <Input.TextArea
          data-testid="scenario-input"
          autoSize={{ minRows: 3, maxRows: 12 }}
          style={mono}
          value={draft.input}
          onChange={(e) => set({ input: e.target.value })}
        />
      </Form.Item>
      <Collapse
        size="small"
        items={[
          {
            key: 'tasks',
            label: t('studio.dryRun.tasks', { count: tasks.length }),
            children: tasks.map((task) => (
              <Form.Item key={task.path} label={task.id} style={{ marginBottom: 8 }}>
                <Select
                  data-testid={`scenario-task-${task.id}`}
                  value={draft.tasks[task.id] ?? ''}
                  onChange={(outcome: string) => set({ tasks: { ...draft.tasks, [task.id]: outcome } })}
                  options={[
                    { value: '', label: t('studio.dryRun.leaveOpen') },
                    ...task.outcomes.map((outcome) => ({ value: outcome, label: outcome })),
                  ]}
                />
              </Form.Item>
            )),
          },
          {
            key: 'events',
            label: t('studio.dryRun.events', { count: events.length }),
            children: events.map((event) => (
              <Space key={event} orientation="vertical" style={{ width: '100%', marginBottom: 8 }}>
                <Checkbox
                  checked={event in draft.events}
                  onChange={(e) => {
                    const next = { ...draft.events };
                    if (e.target.checked) next[event] = '{}';
                    else delete next[event];
                    set({ events: next });
                  }}
                >
                  {t('studio.dryRun.arrives', { event })}
                </Checkbox>
                {event in draft.events && (
                  <Input.TextArea
                    autoSize={{ minRows: 1, maxRows: 6 }}
                    style={mono}
                    value={draft.events[event]}
                    onChange={(e) => set({ events: { ...draft.events, [event]: e.target.value } })}
                  />
                )}
              </Space>
            )),
          },
          {
            key: 'activities',
            label: t('studio.dryRun.activities', { count: calls.length }),
            children: calls.map((call) => (
              <Form.Item
                key={call.path}
                label={
                  <Space wrap>
                    <span>{call.id}</span>
                    <Typography.Text type="secondary" code>
                      {call.activity}
                    </Typography.Text>
                    <Button
                      size="small"
                      type="link"
                      onClick={() =>
                        set({
                          activities: {
                            ...draft.activities,
                            [call.id]: JSON.stringify(sampleOf(results.get(call.activity)), null, 2),
                          },
                        })
                      }
                    >
                      {t('studio.dryRun.sample')}
                    </Button>
                  </Space>
                }
                style={{ marginBottom: 8 }}
              >
                <Input.TextArea
                  autoSize={{ minRows: 1, maxRows: 10 }}
                  style={mono}
                  placeholder={t('studio.dryRun.generated')}
                  value={draft.activities[call.id] ?? ''}
                  onChange={(e) => set({ activities: { ...draft.activities, [call.id]: e.target.value } })}
                />
              </Form.Item>
            )),
          },
        ]}
      />
    </Form>
  );
}
