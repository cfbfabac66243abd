import { describe, expect, it } from '@jest/globals';
import { layoutGraph, type LaidOutGraph, type LaidOutNode } from '../../../../web/src/staff/diagram/layout';
import { planGraph } from '../../../../web/src/staff/diagram/plan-graph';
import { BUILTIN_KEYS, builtinPlan } from './builtin-plans';

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every node in the diagram's coordinates (layout gives children relative to their container). */
function absoluteBoxes(layout: LaidOutGraph): Map<string, Box & { node: LaidOutNode }> {
  const boxes = new Map<string, Box & { node: LaidOutNode }>();
  for (const node of layout.nodes) {
    const parent = node.parentId ? boxes.get(node.parentId) : undefined;
    if (node.parentId && !parent) throw new Error(`${node.id} comes before its container`);
    boxes.set(node.id, {
      id: node.id,
      node,
      x: (parent?.x ?? 0) + node.x,
      y: (parent?.y ?? 0) + node.y,
      width: node.width,
      height: node.height,
    });
  }
  return boxes;
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function ancestors(layout: LaidOutGraph, id: string): Set<string> {
  const parents = new Map(layout.nodes.map((node) => [node.id, node.parentId]));
  const found = new Set<string>();
  for (let at = parents.get(id); at; at = parents.get(at)) found.add(at);
  return found;
}

function expectWellPlaced(layout: LaidOutGraph) {
  const boxes = absoluteBoxes(layout);
  for (const box of boxes.values()) {
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
    const parent = box.node.parentId
      ? boxes.get(box.node.parentId)!
      : { id: '(root)', x: 0, y: 0, width: layout.width, height: layout.height };
    expect({ node: box.id, inside: parent.id, nested: inside(box, parent) }).toEqual({
      node: box.id,
      inside: parent.id,
      nested: true,
    });
  }
  const all = [...boxes.values()];
  const overlapping: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i]!, all[j]!];
      if (ancestors(layout, a.id).has(b.id) || ancestors(layout, b.id).has(a.id)) continue;
      if (overlap(a, b)) overlapping.push(`${a.id} × ${b.id}`);
    }
  }
  expect(overlapping).toEqual([]);
  for (const edge of layout.edges) {
    expect({ edge: edge.id, routed: edge.points.length >= 2 }).toEqual({ edge: edge.id, routed: true });
    // The route starts on its source's border and ends on its target's (the diagram's coordinates).
    const source = boxes.get(edge.source)!;
    const target = boxes.get(edge.target)!;
    const near = (point: { x: number; y: number }, box: Box) =>
      point.x >= box.x - 1 &&
      point.x <= box.x + box.width + 1 &&
      point.y >= box.y - 1 &&
      point.y <= box.y + box.height + 1;
    expect({ edge: edge.id, fromSource: near(edge.points[0]!, source) }).toEqual({ edge: edge.id, fromSource: true });
    expect({ edge: edge.id, toTarget: near(edge.points.at(-1)!, target) }).toEqual({ edge: edge.id, toTarget: true });
  }
  // Edge labels sit clear of every step box, so no condition hides a step or is hidden.
  const leaves = all.filter((box) => !box.node.container);
  for (const edge of layout.edges) {
    if (!edge.labelBox) continue;
    const hidden = [
      ...leaves.filter((box) => overlap({ id: edge.id, ...edge.labelBox! }, box)).map((box) => box.id),
      ...layout.edges
        .filter(
          (other) =>
            other !== edge &&
            other.labelBox &&
            overlap({ id: edge.id, ...edge.labelBox! }, { id: other.id, ...other.labelBox }),
        )
        .map((other) => other.id),
    ];
    expect({ label: edge.id, hidden }).toEqual({ label: edge.id, hidden: [] });
  }
}

describe('layoutGraph', () => {
  it('lays out quote-approval in Node: containers nest, no two nodes overlap, every edge has a route', async () => {
    const graph = planGraph(builtinPlan('quote-approval'));
    await layoutGraph(graph); // the first run warms ELK up
    const started = performance.now();
    const layout = await layoutGraph(graph);
    const ms = performance.now() - started;
    process.stdout.write(
      `quote-approval layout: ${ms.toFixed(0)} ms, ${layout.width.toFixed(0)}×${layout.height.toFixed(0)} px\n`,
    );
    expect(layout.nodes.map((node) => node.id).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    expect(layout.edges).toHaveLength(graph.edges.length);
    expectWellPlaced(layout);
    const boxes = absoluteBoxes(layout);
    const approval = boxes.get('steps[0].repeat.steps[3].forEach.steps[0].forEach.steps[0]')!;
    for (const container of ['steps[0].repeat.steps[3].forEach.steps[0]', 'steps[0].repeat.steps[3]', 'steps[0]']) {
      expect(inside(approval, boxes.get(container)!)).toBe(true);
    }
    // Top to bottom: the start above the first step, the outcome below the rounds.
    expect(boxes.get('start')!.y).toBeLessThan(boxes.get('steps[0]')!.y);
    expect(boxes.get('steps[1]')!.y).toBeGreaterThan(boxes.get('steps[0]')!.y + boxes.get('steps[0]')!.height - 1);
  });

  it.each(BUILTIN_KEYS.filter((key) => key !== 'quote-approval'))('lays out %s without overlaps', async (key) => {
    expectWellPlaced(await layoutGraph(planGraph(builtinPlan(key))));
  });
});
