import { lazy, Suspense, type ComponentType } from 'react';
import { Spin } from 'antd';
import type { ProcessPlan } from '../../../../dsl/plan';
import type { StepState } from './step-states';

/** The props of contract C's `PlanDiagram` this page uses. */
interface PlanDiagramProps {
  plan: ProcessPlan;
  stepStates?: Record<string, StepState>;
  stepNotes?: Record<string, string>;
  selectedPath?: string;
  onSelectStep?: (path: string) => void;
  height?: number;
}

// The diagram (xyflow + elk) is a chunk of its own, loaded only with an instance page. Found by
// glob so that this page builds before (or without) the diagram module: then it lists the steps.
const modules = import.meta.glob<{ default: ComponentType<PlanDiagramProps> }>('../diagram/plan-diagram.tsx');
const loader = modules['../diagram/plan-diagram.tsx'];
const LazyPlanDiagram = loader ? lazy(loader) : null;

export const diagramAvailable = LazyPlanDiagram !== null;

export function InstanceDiagram(props: PlanDiagramProps) {
  if (!LazyPlanDiagram) return null;
  return (
    <Suspense fallback={<Spin />}>
      <LazyPlanDiagram {...props} />
    </Suspense>
  );
}
