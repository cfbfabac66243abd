import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { Popover } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DiagramDetail } from './diagram-graph';
import type { LaidOutNode } from './layout';

export type StepState = 'done' | 'current' | 'waiting' | 'failed' | 'skipped';
export type ProblemMark = 'error' | 'warning';
export type ChangeMark = 'added' | 'removed' | 'changed';

export interface StepNodeData extends Record<string, unknown> {
  node: LaidOutNode;
  state?: StepState;
  problem?: ProblemMark;
  change?: ChangeMark;
  selected: boolean;
  note?: string;
}

export type StepFlowNode = Node<StepNodeData>;

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
] as const;

/** A template's duration as written: its non-zero units, largest first ("1d", "8h", "1d 12h", "90s" as "1m 30s"). */
export function durationText(t: TFunction, ms: number): string {
  const parts: string[] = [];
  let left = ms;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(t(`due.units.${unit}`, { count }));
  }
  return parts.length > 0 ? parts.join(t('due.units.separator')) : t('due.units.s', { count: 0 });
}

/** A detail line in the reader's language. */
export function detailText(t: TFunction, detail: DiagramDetail): string {
  const time = detail.ms !== undefined ? durationText(t, detail.ms) : (detail.durationExpr ?? '');
  switch (detail.label) {
    case 'mode':
      return t('diagram.detail.mode', { text: t(`diagram.mode.${detail.text ?? 'all'}`, { count: detail.count }) });
    case 'onError':
      return t('diagram.detail.onError', { text: t(`diagram.then.${detail.text ?? 'fail'}`) });
    case 'concurrent':
      return detail.count ? t('diagram.detail.concurrentMax', { count: detail.count }) : t('diagram.detail.concurrent');
    default:
      return t(`diagram.detail.${detail.label}`, { text: detail.text ?? '', time, count: detail.count });
  }
}

function classesOf(data: StepNodeData, base: string): string {
  const { node, state, problem, change, selected } = data;
  return [
    base,
    `pd-kind-${node.kind}`,
    state ? `pd-state-${state}` : '',
    problem ? `pd-problem-${problem}` : '',
    change ? `pd-change-${change}` : '',
    selected ? 'pd-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Handles @xyflow/react needs to attach edges; the routes themselves come from ELK. */
const Anchors = () => (
  <>
    <Handle type="target" position={Position.Top} className="pd-anchor" isConnectable={false} />
    <Handle type="source" position={Position.Bottom} className="pd-anchor" isConnectable={false} />
  </>
);

function Marks({ data }: { data: StepNodeData }) {
  const { t } = useTranslation();
  return (
    <span className="pd-marks">
      {data.state && <span className={`pd-mark pd-mark-state-${data.state}`}>{t(`diagram.state.${data.state}`)}</span>}
      {data.problem && (
        <span className={`pd-mark pd-mark-problem-${data.problem}`} data-testid="diagram-problem">
          {data.problem === 'error' ? '✖' : '⚠'} {t(`diagram.problem.${data.problem}`)}
        </span>
      )}
      {data.change && (
        <span className={`pd-mark pd-mark-change-${data.change}`}>{t(`diagram.change.${data.change}`)}</span>
      )}
    </span>
  );
}

const testAttributes = (data: StepNodeData) => ({
  'data-testid': 'diagram-node',
  'data-path': data.node.id,
  'data-step-id': data.node.stepPath ? data.node.title : undefined,
  'data-state': data.state,
  'data-problem': data.problem,
  'data-change': data.change,
  'data-selected': data.selected ? 'true' : undefined,
});

function WithNote({ note, children }: { note: string | undefined; children: React.ReactElement }) {
  if (!note) return children;
  return (
    <Popover content={<pre className="pd-note">{note}</pre>} mouseEnterDelay={0.3}>
      {children}
    </Popover>
  );
}

/** A step drawn as a box: kind and id, its subtitle (activity, event …) and its details. */
export function StepNode({ data }: NodeProps<StepFlowNode>) {
  const { t } = useTranslation();
  const { node } = data;
  return (
    <WithNote note={data.note}>
      <div className={classesOf(data, 'pd-node')} {...testAttributes(data)}>
        <Anchors />
        <div className="pd-head">
          <span className="pd-kind">{t(`diagram.kind.${node.kind}`)}</span>
          <span className="pd-title">{node.title}</span>
          <Marks data={data} />
        </div>
        {node.subtitle && <div className="pd-subtitle">{node.subtitle}</div>}
        {node.details.map((detail, index) => (
          <div key={index} className={`pd-detail pd-detail-${detail.label}`}>
            {detailText(t, detail)}
          </div>
        ))}
        {data.note && <span className="pd-note-mark">ⓘ</span>}
      </div>
    </WithNote>
  );
}

/** forEach, repeat, parallel and its lanes: a frame with a header around what they hold. */
export function ContainerNode({ data }: NodeProps<StepFlowNode>) {
  const { t } = useTranslation();
  const { node } = data;
  return (
    <div className={classesOf(data, 'pd-container')} {...testAttributes(data)}>
      <Anchors />
      <div className="pd-head">
        <span className="pd-kind">{t(`diagram.kind.${node.kind}`)}</span>
        <span className="pd-title">{node.title}</span>
        <Marks data={data} />
      </div>
      {node.details.map((detail, index) => (
        <div key={index} className={`pd-detail pd-detail-${detail.label}`}>
          {detailText(t, detail)}
        </div>
      ))}
    </div>
  );
}

/** Start, end, failed and on-failure: small rounded markers. */
export function TerminalNode({ data }: NodeProps<StepFlowNode>) {
  const { t } = useTranslation();
  return (
    <div className={classesOf(data, 'pd-terminal')} {...testAttributes(data)}>
      <Anchors />
      {t(`diagram.kind.${data.node.kind}`)}
    </div>
  );
}
