import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramDetail, DiagramEdge, DiagramGraph, DiagramNode } from './diagram-graph';

export interface Point {
  x: number;
  y: number;
}

/** A node placed: `x`, `y` relative to its container (as @xyflow/react wants child nodes). */
export interface LaidOutNode extends DiagramNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge routed: its points and label box in the coordinates of the whole diagram. */
export interface LaidOutEdge extends DiagramEdge {
  points: Point[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface LaidOutGraph {
  /** Containers before what they hold. */
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

/** Sizes the component draws with (px); the layout reserves room for every text so none is cut. */
export const NODE_WIDTH = 240;
export const NODE_PADDING = 8;
export const HEADER_HEIGHT = 20;
export const LINE_HEIGHT = 16;
export const CONTAINER_HEADER = 44;
const CONTAINER_PADDING = 14;
const LABEL_MAX_WIDTH = 200;
const KIND_LABEL_WIDTH = 70;
const LATIN_CHAR = 6.6;
const WIDE_CHAR = 12;

/** Estimated width of `text` at the diagram's 12 px font: CJK and symbols count wider than Latin letters. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2000 ? WIDE_CHAR : LATIN_CHAR;
  return width;
}

function linesFor(text: string, width: number): number {
  return Math.max(1, Math.ceil(textWidth(text) / width));
}

/** A detail's widest wording (its label text in English is the longer one). */
function detailChars(detail: DiagramDetail): string {
  const time = detail.ms === undefined ? (detail.durationExpr ?? '') : '00 d 00 h';
  return `${detail.label} ____________ ${detail.text ?? ''} ${time}${detail.count === undefined ? '' : ' × 00'}`;
}

function leafSize(node: DiagramNode): { width: number; height: number } {
  if (node.kind === 'start' || node.kind === 'finish' || node.kind === 'failed' || node.kind === 'onFailure') {
    return { width: Math.max(96, textWidth(node.title) + 48), height: 32 };
  }
  const inner = NODE_WIDTH - 2 * NODE_PADDING;
  let lines = linesFor(`${node.kind}  ${node.title}`, inner) * HEADER_HEIGHT;
  if (node.subtitle) lines += linesFor(node.subtitle, inner) * LINE_HEIGHT;
  for (const detail of node.details) lines += linesFor(detailChars(detail), inner) * LINE_HEIGHT;
  return { width: NODE_WIDTH, height: lines + 2 * NODE_PADDING + 2 };
}

/** The header of a container holds its title and details above its content. */
function containerTop(node: DiagramNode): number {
  const inner = NODE_WIDTH * 1.5;
  return node.details.reduce(
    (top, detail) => top + linesFor(detailChars(detail), inner) * LINE_HEIGHT,
    CONTAINER_HEADER,
  );
}

function labelSize(edge: DiagramEdge): { width: number; height: number } {
  if (!edge.label) return { width: KIND_LABEL_WIDTH, height: LINE_HEIGHT + 4 };
  const width = Math.min(LABEL_MAX_WIDTH, textWidth(edge.label) + 12);
  return { width, height: linesFor(edge.label, width - 12) * LINE_HEIGHT + 4 };
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** The nearest container holding both ends, where ELK wants an edge that may cross container borders. */
function commonContainer(parents: Map<string, string | null>, a: string, b: string): string | null {
  const above = new Set<string | null>();
  for (let at: string | null = parents.get(a) ?? null; ; at = parents.get(at) ?? null) {
    above.add(at);
    if (at === null) break;
  }
  for (let at: string | null = parents.get(b) ?? null; ; at = parents.get(at) ?? null) {
    if (above.has(at)) return at;
    if (at === null) return null;
  }
}

/**
 * Places the graph with ELK's layered algorithm, top to bottom, containers laid out with what they
 * hold (hierarchical). Runs in Node and in a Web Worker alike: the bundled ELK lays out in the
 * calling thread.
 */
export async function layoutGraph(graph: DiagramGraph): Promise<LaidOutGraph> {
  const parents = new Map(graph.nodes.map((node) => [node.id, node.parentId]));
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: '(root)', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const node of graph.nodes) {
    const elkNode: ElkNode = node.container
      ? {
          id: node.id,
          children: [],
          edges: [],
          layoutOptions: {
            'elk.padding': `[top=${containerTop(node)},left=${CONTAINER_PADDING},bottom=${CONTAINER_PADDING},right=${CONTAINER_PADDING}]`,
            'elk.nodeSize.constraints': 'MINIMUM_SIZE',
            'elk.nodeSize.minimum': `(${NODE_WIDTH + 2 * CONTAINER_PADDING},${CONTAINER_HEADER + 40})`,
            // Lanes of a parallel side by side, each laid out top to bottom.
            ...(node.kind === 'parallel' ? { 'elk.direction': 'RIGHT' } : {}),
          },
        }
      : { id: node.id, ...leafSize(node) };
    elkNodes.set(node.id, elkNode);
  }
  for (const node of graph.nodes) {
    const parent = node.parentId === null ? root : elkNodes.get(node.parentId);
    parent?.children?.push(elkNodes.get(node.id)!);
  }
  for (const edge of graph.edges) {
    const holder = commonContainer(parents, edge.source, edge.target);
    const elkEdge: ElkExtendedEdge = {
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      labels: [{ id: `${edge.id}#label`, text: edge.label ?? edge.kind, ...labelSize(edge) }],
    };
    if (edge.kind === 'flow') delete elkEdge.labels;
    (holder === null ? root : elkNodes.get(holder)!).edges!.push(elkEdge);
  }

  const laidOut = await new ELK().layout(root);

  const nodes: LaidOutNode[] = [];
  const edges: LaidOutEdge[] = [];
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const edgeById = new Map(graph.edges.map((edge) => [edge.id, edge]));
  const collect = (elkNode: ElkNode) => {
    for (const child of elkNode.children ?? []) {
      const node = byId.get(child.id)!;
      nodes.push({ ...node, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      collect(child);
    }
    for (const elkEdge of elkNode.edges ?? []) {
      const section = elkEdge.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      const label = elkEdge.labels?.[0];
      edges.push({
        ...edgeById.get(elkEdge.id)!,
        points,
        ...(label
          ? { labelBox: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } }
          : {}),
      });
    }
  };
  collect(laidOut);
  return { nodes, edges, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}
