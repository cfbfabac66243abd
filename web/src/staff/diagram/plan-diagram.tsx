import {
  Controls,
  MarkerType,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Alert, Spin } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcessPlan } from '../../../../dsl/plan';
import { RoutedEdge, type RoutedFlowEdge } from './diagram-edge';
import { DiagramLegend } from './diagram-legend';
import {
  ContainerNode,
  StepNode,
  TerminalNode,
  type ChangeMark,
  type ProblemMark,
  type StepFlowNode,
  type StepState,
} from './diagram-nodes';
import './diagram.css';
import type { LaidOutGraph, LaidOutNode } from './layout';
import { planGraph } from './plan-graph';
import { useDiagramLayout } from './use-diagram-layout';

export type { ChangeMark, ProblemMark, StepState } from './diagram-nodes';

export interface PlanDiagramProps {
  plan: ProcessPlan;
  /** By step path: how far an instance or a dry run got. */
  stepStates?: Record<string, StepState>;
  /** By step path: a text shown on hover, e.g. a step's values in a dry run. */
  stepNotes?: Record<string, string>;
  problems?: Record<string, ProblemMark>;
  changed?: Record<string, ChangeMark>;
  selectedPath?: string | null;
  onSelectStep?: (path: string) => void;
  height?: number | string;
}

const nodeTypes = { step: StepNode, container: ContainerNode, terminal: TerminalNode };
const edgeTypes = { routed: RoutedEdge };
const TERMINALS = new Set(['start', 'finish', 'failed', 'onFailure']);
const EDGE_COLORS: Record<string, string> = {
  flow: '#8c8c8c',
  case: '#1677ff',
  otherwise: '#1677ff',
  error: '#cf1322',
  timeout: '#d48806',
  compensate: '#8c8c8c',
};

function absolutePosition(layout: LaidOutGraph, id: string): { x: number; y: number; node: LaidOutNode } | null {
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  const node = byId.get(id);
  if (!node) return null;
  let x = node.x;
  let y = node.y;
  for (let parent = node.parentId ? byId.get(node.parentId) : undefined; parent;) {
    x += parent.x;
    y += parent.y;
    parent = parent.parentId ? byId.get(parent.parentId) : undefined;
  }
  return { x, y, node };
}

function DiagramCanvas(props: PlanDiagramProps) {
  const { plan, stepStates, stepNotes, problems, changed, selectedPath, onSelectStep } = props;
  const { t } = useTranslation();
  const graph = useMemo(() => planGraph(plan), [plan]);
  const { layout, error } = useDiagramLayout(graph);
  const flow = useReactFlow();
  const frame = useRef<HTMLDivElement>(null);
  const placed = useRef<string | null>(null);

  const nodes = useMemo<StepFlowNode[]>(
    () =>
      (layout?.nodes ?? []).map((node) => {
        const key = node.id;
        const data: StepFlowNode['data'] = {
          node,
          selected: !!selectedPath && node.stepPath === selectedPath && node.kind !== 'lane',
        };
        const state = stepStates?.[key];
        const problem = problems?.[key];
        const change = changed?.[key];
        const note = stepNotes?.[key];
        if (state) data.state = state;
        if (problem) data.problem = problem;
        if (change) data.change = change;
        if (note) data.note = note;
        return {
          id: node.id,
          type: node.container ? 'container' : TERMINALS.has(node.kind) ? 'terminal' : 'step',
          position: { x: node.x, y: node.y },
          ...(node.parentId ? { parentId: node.parentId } : {}),
          width: node.width,
          height: node.height,
          style: { width: node.width, height: node.height },
          data,
          draggable: false,
          connectable: false,
          selectable: false,
        };
      }),
    [layout, stepStates, stepNotes, problems, changed, selectedPath],
  );

  const edges = useMemo<RoutedFlowEdge[]>(
    () =>
      (layout?.edges ?? []).map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'routed',
        data: { edge },
        // Above the frames of containers, which would otherwise hide the edges inside them.
        zIndex: 1000,
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: EDGE_COLORS[edge.kind] },
        style: { stroke: EDGE_COLORS[edge.kind] },
        selectable: false,
        focusable: false,
      })),
    [layout],
  );

  // The first layout of a template opens at a readable zoom from the top; later ones (the plan
  // edited as one types) keep the viewport.
  useEffect(() => {
    if (!layout || placed.current === plan.key || !frame.current) return;
    placed.current = plan.key;
    const width = frame.current.clientWidth;
    const zoom = Math.min(1, Math.max(0.5, (width - 16) / layout.width));
    void flow.setViewport({ x: Math.max(8, (width - layout.width * zoom) / 2), y: 8, zoom });
  }, [layout, flow, plan.key]);

  // A step selected elsewhere (the editor's cursor, a list) is brought into view.
  useEffect(() => {
    if (!layout || !selectedPath || !frame.current) return;
    const at = absolutePosition(layout, selectedPath);
    if (!at) return;
    const { x, y, zoom } = flow.getViewport();
    const left = at.x * zoom + x;
    const top = at.y * zoom + y;
    const inView =
      left >= 0 &&
      top >= 0 &&
      left + at.node.width * zoom <= frame.current.clientWidth &&
      top + at.node.height * zoom <= frame.current.clientHeight;
    if (!inView) void flow.setCenter(at.x + at.node.width / 2, at.y + at.node.height / 2, { zoom, duration: 250 });
  }, [layout, selectedPath, flow]);

  const ariaLabelConfig = useMemo(
    () => ({
      'controls.ariaLabel': t('diagram.controls.label'),
      'controls.zoomIn.ariaLabel': t('diagram.controls.zoomIn'),
      'controls.zoomOut.ariaLabel': t('diagram.controls.zoomOut'),
      'controls.fitView.ariaLabel': t('diagram.controls.fitView'),
    }),
    [t],
  );

  const onNodeClick: NodeMouseHandler<StepFlowNode> = (_, node) => {
    if (node.data.node.stepPath) onSelectStep?.(node.data.node.stepPath);
  };

  return (
    <div
      ref={frame}
      className="plan-diagram"
      style={{ height: props.height ?? 560 }}
      data-testid="plan-diagram"
      aria-label={t('diagram.label')}
    >
      {error && <Alert type="error" showIcon title={t('diagram.failed', { message: error })} />}
      {!layout && !error && (
        <div className="pd-loading">
          <Spin /> {t('diagram.loading')}
        </div>
      )}
      <ReactFlow<StepFlowNode, RoutedFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={onNodeClick}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        minZoom={0.15}
        maxZoom={2}
        zoomOnDoubleClick={false}
        ariaLabelConfig={ariaLabelConfig}
      >
        <Controls showInteractive={false} />
        <Panel position="top-right">
          <DiagramLegend states={!!stepStates} problems={!!problems} changes={!!changed} />
        </Panel>
      </ReactFlow>
    </div>
  );
}

/** The plan as a diagram, laid out by ELK in a Web Worker; load it with React.lazy (the default export). */
export function PlanDiagram(props: PlanDiagramProps) {
  return (
    <ReactFlowProvider>
      <DiagramCanvas {...props} />
    </ReactFlowProvider>
  );
}

export default PlanDiagram;
