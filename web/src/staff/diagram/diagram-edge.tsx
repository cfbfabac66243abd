import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { LaidOutEdge } from './layout';

export type RoutedFlowEdge = Edge<{ edge: LaidOutEdge }>;

/** The route ELK computed, drawn as it is (the positions @xyflow/react passes are ignored). */
export function RoutedEdge({ data, markerEnd, style }: EdgeProps<RoutedFlowEdge>) {
  const { t } = useTranslation();
  if (!data) return null;
  const { edge } = data;
  const [first, ...rest] = edge.points;
  if (!first) return null;
  const path = `M ${first.x} ${first.y} ${rest.map((p) => `L ${p.x} ${p.y}`).join(' ')}`;
  const text = edge.label ?? (edge.kind === 'flow' || edge.kind === 'case' ? '' : t(`diagram.edge.${edge.kind}`));
  const box = edge.labelBox;
  return (
    <>
      <BaseEdge path={path} markerEnd={markerEnd} style={style} className={`pd-edge pd-edge-${edge.kind}`} />
      {text && box && (
        <EdgeLabelRenderer>
          <div
            className={`pd-edge-label pd-edge-label-${edge.kind} nodrag nopan`}
            // As wide as its text, centred in the room the layout kept for it.
            style={{
              transform: `translate(${box.x + box.width / 2}px, ${box.y}px) translateX(-50%)`,
              maxWidth: box.width,
            }}
            data-testid="diagram-edge-label"
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
