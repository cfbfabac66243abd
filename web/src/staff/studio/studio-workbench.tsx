import { CloudUploadOutlined, DiffOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { App, Badge, Button, Card, Col, Row, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcessPlan } from '../../../../dsl/plan';
import { problemMessage } from '../../shared/problem-message';
import { stepPathOf } from '../diagram/step-path';
import { DiagramPanel } from './diagram-panel';
import type { DryRunResult } from './dry-run-api';
import { diagramMarksOf } from './dry-run-marks';
import { DryRunPanel } from './dry-run-panel';
import { PolicyPanel } from './policy-panel';
import { ProblemsPanel } from './problems-panel';
import { PublishDialog } from './publish-dialog';
import { useScenarioChecks } from './scenario-checks';
import {
  saveDraft,
  studioKeys,
  validateSource,
  type TemplateDiagnostic,
  type TemplateLanguage,
  type Validation,
} from './studio-api';
import type { StudioPanel } from './studio-search';
import { VersionsPanel } from './versions-panel';
import type { YamlEditorHandle } from './yaml-editor';
import { stepPathAt, yamlRangeOf } from './yaml-step-range';
import { planSteps } from './plan-steps';

/** Equal but for the content hash, which changes with every character of the source. */
const samePlan = (a: ProcessPlan, b: ProcessPlan) =>
  JSON.stringify({ ...a, hash: '' }) === JSON.stringify({ ...b, hash: '' });

const YamlEditor = lazy(() => import('./yaml-editor'));
const route = getRouteApi('/shell/templates/$key');

export interface StudioWorkbenchProps {
  templateKey: string;
  name: string;
  initialSource: string;
  hasDraft: boolean;
  language: TemplateLanguage;
  schema: Record<string, unknown> | null;
  mayWrite: boolean;
}

/**
 * The studio: the YAML in CodeMirror (the text lives there, not in React state), the compiler's
 * problems, the plan's diagram and the panels that run, judge and publish it. React re-renders
 * on a validation, a dry run or a click, never on a keystroke.
 */
export function StudioWorkbench({
  templateKey,
  name,
  initialSource,
  hasDraft,
  language,
  schema,
  mayWrite,
}: StudioWorkbenchProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const editor = useRef<YamlEditorHandle>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [plan, setPlan] = useState<ProcessPlan | null>(null);
  const [dirty, setDirty] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const [dryRunResult, setDryRunResult] = useState<DryRunResult | null>(null);
  const [openScenario, setOpenScenario] = useState<string | null>(null);
  const scenarioChecks = useScenarioChecks(templateKey);
  const { recheck } = scenarioChecks;
  const panel: StudioPanel = search.panel ?? 'problems';
  const openPanel = useCallback(
    (next: StudioPanel) => void navigate({ search: (previous) => ({ ...previous, panel: next }), replace: true }),
    [navigate],
  );
  const source = useCallback(() => editor.current?.source() ?? initialSource, [initialSource]);

  const validate = useCallback(
    (text: string, signal: AbortSignal) => validateSource(templateKey, text, signal),
    [templateKey],
  );
  const onValidated = useCallback(
    (next: Validation, text: string) => {
      setValidation(next);
      const nextPlan = next.plan;
      if (nextPlan) {
        // An edit that leaves the plan as it was (a comment, a blank line) keeps the diagram as it is.
        setPlan((previous) => (previous && samePlan(previous, nextPlan) ? previous : nextPlan));
        recheck(text);
      }
    },
    [recheck],
  );
  const save = useMutation({
    mutationFn: () => saveDraft(templateKey, source()),
    onSuccess: () => {
      editor.current?.markClean();
      setDirty(false);
      void queryClient.invalidateQueries({ queryKey: studioKeys.list });
    },
  });
  const saveNow = useCallback(() => {
    if (!mayWrite) return;
    save.mutate(undefined, {
      onSuccess: () => void message.success(t('studio.saved')),
      onError: (error) => void message.error(problemMessage(t, error)),
    });
  }, [mayWrite, save, message, t]);

  const diagnostics = useMemo(() => validation?.diagnostics ?? [], [validation]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const marks = useMemo(() => (dryRunResult ? diagramMarksOf(dryRunResult) : null), [dryRunResult]);

  const selectStep = (path: string) => {
    setSelectedPath(path);
    const range = yamlRangeOf(source(), path);
    if (range) editor.current?.select(range);
  };
  const stepPaths = useMemo(() => (plan ? planSteps(plan).map((step) => step.path) : []), [plan]);
  const selectStepAt = (offset: number) => setSelectedPath(stepPathAt(source(), offset, stepPaths));
  const selectProblem = (diagnostic: TemplateDiagnostic) => {
    editor.current?.select(diagnostic.range);
    if (plan) setSelectedPath(stepPathOf(diagnostic.path, plan));
  };
  const problemCount = diagnostics.length + scenarioChecks.problems.length;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="studio">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="studio-title">
            {name}
          </Typography.Title>
          <Typography.Text code>{templateKey}</Typography.Text>
          {dirty ? (
            <Tag color="orange" data-testid="studio-dirty">
              {t('studio.unsaved')}
            </Tag>
          ) : (
            hasDraft && <Tag>{t('studio.draft')}</Tag>
          )}
          {validation && (
            <Tag color={errors ? 'red' : 'green'} data-testid="studio-validity">
              {errors ? t('studio.errors', { count: errors }) : t('studio.compiles')}
            </Tag>
          )}
        </Space>
        <Space wrap>
          <Link to="/templates/$key/compare" params={{ key: templateKey }} search={{}} data-testid="studio-compare">
            <Button icon={<DiffOutlined />}>{t('studio.compare.open')}</Button>
          </Link>
          {mayWrite && (
            <>
              <Button icon={<SaveOutlined />} data-testid="studio-save" loading={save.isPending} onClick={saveNow}>
                {t('studio.save')}
              </Button>
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                data-testid="studio-publish"
                disabled={errors > 0}
                onClick={() => setPublishing(true)}
              >
                {t('studio.publish.open')}
              </Button>
            </>
          )}
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" styles={{ body: { padding: 0, height: 'min(70vh, 760px)' } }}>
            <Suspense fallback={<Skeleton active style={{ padding: 16 }} />}>
              <YamlEditor
                ref={editor}
                initialSource={initialSource}
                language={language}
                schema={schema}
                validate={validate}
                onValidated={onValidated}
                onDirty={() => setDirty(true)}
                onSave={saveNow}
                onCursor={selectStepAt}
                readOnly={!mayWrite}
              />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            {plan ? (
              <DiagramPanel
                plan={plan}
                diagnostics={diagnostics}
                stepStates={marks?.stepStates}
                stepNotes={marks?.stepNotes}
                selectedPath={selectedPath}
                onSelectStep={selectStep}
                height={420}
              />
            ) : (
              <Skeleton active style={{ padding: 16, height: 420 }} />
            )}
          </Card>
          <Tabs
            activeKey={panel}
            onChange={(key) => openPanel(key as StudioPanel)}
            items={[
              {
                key: 'problems',
                label: (
                  <span data-testid="tab-problems">
                    {t('studio.problems.title')}{' '}
                    <Badge
                      count={problemCount}
                      size="small"
                      color={errors ? undefined : 'gold'}
                      data-testid="problem-count"
                    />
                  </span>
                ),
                children: (
                  <ProblemsPanel
                    diagnostics={diagnostics}
                    scenarioProblems={scenarioChecks.problems}
                    onSelect={selectProblem}
                    onFix={(fix) => editor.current?.applyFix(fix)}
                    onOpenScenario={(scenario) => {
                      setOpenScenario(scenario);
                      openPanel('dry-run');
                    }}
                  />
                ),
              },
              {
                key: 'dry-run',
                label: <span data-testid="tab-dry-run">{t('studio.dryRun.title')}</span>,
                children: (
                  <DryRunPanel
                    templateKey={templateKey}
                    plan={plan}
                    language={language}
                    source={source}
                    checks={scenarioChecks.checks}
                    openScenario={openScenario}
                    onResult={setDryRunResult}
                  />
                ),
              },
              {
                key: 'policy',
                label: <span data-testid="tab-policy">{t('studio.policy.title')}</span>,
                children: (
                  <PolicyPanel
                    templateKey={templateKey}
                    plan={plan}
                    language={language}
                    source={source}
                    stepId={search.step}
                    onStep={(step) => void navigate({ search: (previous) => ({ ...previous, step }), replace: true })}
                  />
                ),
              },
              {
                key: 'versions',
                label: <span data-testid="tab-versions">{t('studio.versions.title')}</span>,
                children: <VersionsPanel templateKey={templateKey} />,
              },
            ]}
          />
        </Col>
      </Row>
      {mayWrite && (
        <PublishDialog
          templateKey={templateKey}
          open={publishing}
          saveFirst={() => save.mutateAsync()}
          onClose={() => setPublishing(false)}
          onPublished={() => setPublishing(false)}
        />
      )}
    </Space>
  );
}
