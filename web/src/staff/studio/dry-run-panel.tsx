import { CaretRightOutlined, DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcessPlan } from '../../../../dsl/plan';
import { problemMessage } from '../../shared/problem-message';
import {
  deleteScenario,
  dryRun,
  listScenarios,
  saveScenario,
  type DryRunResult,
  type ScenarioRun,
} from './dry-run-api';
import { DryRunResultView } from './dry-run-result';
import { ScenarioEditor } from './scenario-editor';
import {
  draftOfScenario,
  newScenarioDraft,
  ScenarioJsonError,
  scenarioOfDraft,
  type ScenarioDraft,
} from './scenario-form';
import { studioKeys, type TemplateLanguage } from './studio-api';

export interface DryRunPanelProps {
  templateKey: string;
  plan: ProcessPlan | null;
  language: TemplateLanguage;
  /** The editor's text now: a dry run runs what is on screen, saved or not. */
  source: () => string;
  /** The saved scenarios' runs on the latest text (see useScenarioChecks). */
  checks: ScenarioRun[];
  /** A scenario to open (from the problems panel). */
  openScenario: string | null;
  onResult: (result: DryRunResult | null) => void;
}

/** Run the text on screen against a scenario, without Temporal and without side effects; save scenarios with the template. */
export function DryRunPanel({ templateKey, plan, language, source, checks, openScenario, onResult }: DryRunPanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const scenarios = useQuery({
    queryKey: studioKeys.scenarios(templateKey),
    queryFn: () => listScenarios(templateKey),
  });
  const [draft, setDraft] = useState<ScenarioDraft>(() => newScenarioDraft(plan));
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const saved = scenarios.data?.items.find((item) => item.name === openScenario);
    if (saved) setDraft(draftOfScenario(saved.scenario));
  }, [openScenario, scenarios.data]);

  const scenarioOrError = () => {
    try {
      setFormError(null);
      return scenarioOfDraft(draft, plan);
    } catch (error) {
      setFormError(
        error instanceof ScenarioJsonError ? t('studio.dryRun.badJson', { field: error.field }) : String(error),
      );
      return null;
    }
  };
  const run = useMutation({
    mutationFn: (scenario: NonNullable<ReturnType<typeof scenarioOrError>>) => dryRun(templateKey, source(), scenario),
    onSuccess: (answer) => {
      setResult(answer);
      onResult(answer);
    },
  });
  const save = useMutation({
    mutationFn: (scenario: NonNullable<ReturnType<typeof scenarioOrError>>) => saveScenario(templateKey, scenario),
    onSuccess: () => {
      void message.success(t('studio.dryRun.saved', { name: draft.name }));
      void queryClient.invalidateQueries({ queryKey: studioKeys.scenarios(templateKey) });
    },
    onError: (error) => void message.error(problemMessage(t, error)),
  });
  const remove = useMutation({
    mutationFn: (name: string) => deleteScenario(templateKey, name),
    onSuccess: () => {
      setDraft(newScenarioDraft(plan));
      void queryClient.invalidateQueries({ queryKey: studioKeys.scenarios(templateKey) });
    },
  });
  const checkOf = new Map(checks.map((check) => [check.name, check.ok]));
  const savedNames = scenarios.data?.items.map((item) => item.name) ?? [];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="dry-run-panel">
      <Space wrap>
        <Select
          data-testid="scenario-select"
          style={{ minWidth: 200 }}
          placeholder={t('studio.dryRun.savedScenarios')}
          value={savedNames.includes(draft.name) ? draft.name : null}
          onChange={(name: string) => {
            const saved = scenarios.data?.items.find((item) => item.name === name);
            if (saved) setDraft(draftOfScenario(saved.scenario));
          }}
          options={savedNames.map((name) => ({
            value: name,
            label: (
              <Space>
                {name}
                {checkOf.has(name) && (
                  <Tag color={checkOf.get(name) ? 'green' : 'red'}>
                    {checkOf.get(name) ? t('studio.dryRun.passes') : t('studio.dryRun.fails')}
                  </Tag>
                )}
              </Space>
            ),
          }))}
        />
        <Button onClick={() => setDraft(newScenarioDraft(plan))}>{t('studio.dryRun.new')}</Button>
      </Space>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          data-testid="scenario-name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          aria-label={t('studio.dryRun.name')}
        />
        <Button
          icon={<SaveOutlined />}
          disabled={!draft.name.trim()}
          loading={save.isPending}
          onClick={() => {
            const scenario = scenarioOrError();
            if (scenario) save.mutate(scenario);
          }}
        >
          {t('studio.dryRun.save')}
        </Button>
        {savedNames.includes(draft.name) && (
          <Button
            icon={<DeleteOutlined />}
            danger
            aria-label={t('studio.dryRun.delete')}
            onClick={() => remove.mutate(draft.name)}
          />
        )}
      </Space.Compact>
      <ScenarioEditor plan={plan} language={language} draft={draft} onChange={setDraft} />
      <Button
        type="primary"
        icon={<CaretRightOutlined />}
        data-testid="dry-run-start"
        loading={run.isPending}
        disabled={!plan}
        onClick={() => {
          const scenario = scenarioOrError();
          if (scenario) run.mutate(scenario);
        }}
      >
        {t('studio.dryRun.run')}
      </Button>
      {!plan && <Alert type="info" title={t('studio.dryRun.needsPlan')} />}
      {formError && <Alert type="error" title={formError} />}
      {run.isError && <Alert type="error" title={problemMessage(t, run.error)} />}
      {result && <DryRunResultView result={result} />}
    </Space>
  );
}
