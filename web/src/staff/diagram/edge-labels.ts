import type { LaidOutEdge, LaidOutNode } from './layout';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Boxes of the nodes that are not containers, in the diagram's coordinates. */
function leafBoxes(nodes: LaidOutNode[]): Box[] {
  const absolute = new Map<string, Box>();
  const leaves: Box[] = [];
  for (const node of nodes) {
    const parent = node.parentId ? absolute.get(node.parentId) : undefined;
    const box = { x: (parent?.x ?? 0) + node.x, y: (parent?.y ?? 0) + node.y, width: node.width, height: node.height };
    absolute.set(node.id, box);
    if (!node.container) leaves.push(box);
  }
  return leaves;
}

/**
 * Moves each edge label from beside its edge (where ELK leaves it, so that in a fan of cases a
 * label reads as its neighbour's) onto the edge's vertical segment at the same height, when it
 * fits there clear of every box and every other label.
 */
export function centreLabelsOnEdges(nodes: LaidOutNode[], edges: LaidOutEdge[]): LaidOutEdge[] {
  const obstacles = leafBoxes(nodes);
  const placed: Box[] = edges.flatMap((edge) => (edge.labelBox ? [edge.labelBox] : []));
  return edges.map((edge, index) => {
    const box = edge.labelBox;
    if (!box) return edge;
    const middle = box.y + box.height / 2;
    const segment = edge.points.findIndex((point, i) => {
      const next = edge.points[i + 1];
      return (
        next !== undefined &&
        Math.abs(point.x - next.x) < 0.5 &&
        Math.min(point.y, next.y) <= middle &&
        Math.max(point.y, next.y) >= middle
      );
    });
    if (segment < 0) return edge;
    const moved = { ...box, x: edge.points[segment]!.x - box.width / 2 };
    const others = placed.filter((_, i) => i !== placedIndex(edges, index));
    if (obstacles.some((b) => overlaps(moved, b)) || others.some((b) => overlaps(moved, b))) return edge;
    placed[placedIndex(edges, index)] = moved;
    return { ...edge, labelBox: moved };
  });
}

/** Where edge `index`'s label is in the list of placed labels (edges without a label have none). */
function placedIndex(edges: LaidOutEdge[], index: number): number {
  return edges.slice(0, index).filter((edge) => edge.labelBox).length;
}
