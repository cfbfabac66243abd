import { Skeleton } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import type { ProcessPlan } from '../../../../dsl/plan';
import { stepPathOf } from '../diagram/step-path';
import type { StepState } from './dry-run-marks';
import type { TemplateDiagnostic } from './studio-api';

// @xyflow/react and elkjs load with the first diagram, never with the inbox.
const PlanDiagram = lazy(() => import('../diagram/plan-diagram'));

export interface DiagramPanelProps {
  plan: ProcessPlan;
  diagnostics?: TemplateDiagnostic[];
  stepStates?: Record<string, StepState>;
  stepNotes?: Record<string, string>;
  changed?: Record<string, 'added' | 'removed' | 'changed'>;
  selectedPath?: string | null;
  onSelectStep?: (path: string) => void;
  height?: number;
}

/** The plan's diagram with the editor's problems marked on the steps they fall in. */
export function DiagramPanel({ plan, diagnostics, selectedPath, height = 420, ...rest }: DiagramPanelProps) {
  const problems = useMemo(() => {
    const marks: Record<string, 'error' | 'warning'> = {};
    for (const diagnostic of diagnostics ?? []) {
      const path = stepPathOf(diagnostic.path, plan);
      if (path && marks[path] !== 'error') marks[path] = diagnostic.severity;
    }
    return marks;
  }, [diagnostics, plan]);
  return (
    <div data-testid="plan-diagram-panel" style={{ height, minWidth: 0 }}>
      <Suspense fallback={<Skeleton active />}>
        <PlanDiagram
          plan={plan}
          problems={problems}
          selectedPath={selectedPath ?? undefined}
          height={height}
          {...rest}
        />
      </Suspense>
    </div>
  );
}
