import { CloseCircleFilled, ExperimentOutlined, WarningFilled } from '@ant-design/icons';
import { Button, Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiagnosticFix, TemplateDiagnostic } from './studio-api';

/** A saved scenario that failed on the current text: a problem like the compiler's, without a range. */
export interface ScenarioProblem {
  scenario: string;
  message: string;
}

export interface ProblemsPanelProps {
  diagnostics: TemplateDiagnostic[];
  scenarioProblems: ScenarioProblem[];
  onSelect: (diagnostic: TemplateDiagnostic) => void;
  onFix: (fix: DiagnosticFix) => void;
  onOpenScenario: (name: string) => void;
}

/** The compiler's problems, each a link to its text and its one-click fixes, then the failing scenarios. */
export function ProblemsPanel({ diagnostics, scenarioProblems, onSelect, onFix, onOpenScenario }: ProblemsPanelProps) {
  const { t } = useTranslation();
  if (diagnostics.length === 0 && scenarioProblems.length === 0) {
    return (
      <Empty data-testid="problems-none" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('studio.problems.none')} />
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <List
        size="small"
        data-testid="problems-list"
        dataSource={diagnostics}
        renderItem={(diagnostic, index) => (
          <List.Item
            key={`${diagnostic.code}-${diagnostic.range[0]}-${index}`}
            data-testid="problem"
            data-line={diagnostic.line}
            actions={(diagnostic.fixes ?? []).map((fix, fixIndex) => (
              <Button
                key={fixIndex}
                size="small"
                type="primary"
                ghost
                data-testid="problem-fix"
                onClick={() => onFix(fix)}
              >
                {t('studio.problems.fix', { title: fix.title })}
              </Button>
            ))}
          >
            <Space align="start" style={{ cursor: 'pointer', minWidth: 0 }} onClick={() => onSelect(diagnostic)}>
              {diagnostic.severity === 'error' ? (
                <CloseCircleFilled style={{ color: '#ff4d4f' }} aria-label={t('studio.problems.error')} />
              ) : (
                <WarningFilled style={{ color: '#faad14' }} aria-label={t('studio.problems.warning')} />
              )}
              <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                <Typography.Text type="secondary" data-testid="problem-location">
                  {t('studio.problems.at', { line: diagnostic.line, column: diagnostic.column })}
                </Typography.Text>{' '}
                <span data-testid="problem-message">{diagnostic.message}</span>{' '}
                <Typography.Text type="secondary" code>
                  {diagnostic.code}
                </Typography.Text>
              </span>
            </Space>
          </List.Item>
        )}
      />
      {scenarioProblems.map((problem) => (
        <div key={problem.scenario} data-testid="scenario-problem" style={{ padding: '4px 16px' }}>
          <Space align="start" style={{ cursor: 'pointer' }} onClick={() => onOpenScenario(problem.scenario)}>
            <ExperimentOutlined style={{ color: '#ff4d4f' }} />
            <span style={{ overflowWrap: 'anywhere' }}>
              {t('studio.problems.scenario', { name: problem.scenario })} {problem.message}
            </span>
          </Space>
        </div>
      ))}
    </Space>
  );
}
