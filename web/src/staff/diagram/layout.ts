import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { centreLabelsOnEdges } from './edge-labels';
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
const LATIN_CHAR = 6.8;
/** The longest kind name a box's header shows before its id ("SET VARIABLES", 11 px capitals). */
const KIND_WIDTH = 104;
/** A character of the id, 13 px bold. */
const TITLE_CHAR = 8.2;
const WIDE_CHAR = 12;

/** Estimated width of `text` at the diagram's 12 px font: CJK and symbols count wider than Latin letters. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2000 ? WIDE_CHAR : LATIN_CHAR;
  return width;
}

/**
 * Lines `text` takes at `width` as the browser wraps it: at spaces, and inside a word only when
 * the word alone is wider than the line (CSS `overflow-wrap: anywhere`).
 */
export function linesFor(text: string, width: number): number {
  const space = textWidth(' ');
  let lines = 1;
  let used = 0;
  for (const word of text.split(' ')) {
    const wide = textWidth(word);
    const needed = used === 0 ? wide : used + space + wide;
    if (needed <= width) {
      used = needed;
      continue;
    }
    if (used > 0) lines += 1;
    lines += Math.floor(wide / width);
    used = wide % width;
  }
  return lines;
}

/** Room for the words around a detail's values, in its longer wording (English: "remind every …, 2×"). */
const DETAIL_WORDS: Partial<Record<DiagramDetail['label'], string>> = {
  remind: 'remind every ,',
  escalate: 'after :',
  candidates: 'candidates:',
  onError: 'on error: handle, then continue',
  mode: 'wait for: the first 00 branches',
  concurrent: 'concurrently, at most 00',
  sequential: 'one after another',
  noWait: 'starts it and goes on',
  max: 'at most 00 rounds',
  timeout: 'timeout after',
};

/** The header: the kind, then the id beside it or, when too long, below it. */
function headerLines(title: string, inner: number): number {
  const width = title.length * TITLE_CHAR;
  return KIND_WIDTH + 6 + width <= inner ? 1 : 1 + Math.ceil(width / inner);
}

/** A detail's text at its widest, for sizing (durations as "00d 00h"). */
function detailChars(detail: DiagramDetail): string {
  const time = detail.ms === undefined ? (detail.durationExpr ?? '') : '00d 00h';
  const words = DETAIL_WORDS[detail.label] ?? `${detail.label}:`;
  return `${words} ${detail.text ?? ''} ${time}${detail.count === undefined ? '' : ' 00×'}`.trim();
}

function leafSize(node: DiagramNode): { width: number; height: number } {
  if (node.kind === 'start' || node.kind === 'finish' || node.kind === 'failed' || node.kind === 'onFailure') {
    return { width: Math.max(96, textWidth(node.title) + 48), height: 32 };
  }
  const inner = NODE_WIDTH - 2 * NODE_PADDING;
  let lines = headerLines(node.title, inner) * HEADER_HEIGHT;
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
  // Slack over the estimate: a label one pixel short wraps and then overflows its box.
  const width = Math.min(LABEL_MAX_WIDTH, textWidth(edge.label) + 24);
  return { width, height: linesFor(edge.label, width - 14) * LINE_HEIGHT + 4 };
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
          },
        }
      : { id: node.id, ...leafSize(node) };
    elkNodes.set(node.id, elkNode);
  }
  for (const node of graph.nodes) {
    const parent = node.parentId === null ? root : elkNodes.get(node.parentId);
    parent?.children?.push(elkNodes.get(node.id)!);
  }
  // An empty container (a branch without steps) is a plain box to ELK: give it room for its header.
  for (const node of graph.nodes) {
    const elkNode = elkNodes.get(node.id)!;
    if (node.container && elkNode.children?.length === 0) {
      elkNode.width = NODE_WIDTH + 2 * CONTAINER_PADDING;
      elkNode.height = containerTop(node) + CONTAINER_PADDING;
    }
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
  // Twice: a label that could not move because of a neighbour's first place may once that moved.
  const labelled = centreLabelsOnEdges(nodes, centreLabelsOnEdges(nodes, edges));
  return { nodes, edges: labelled, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}
