import { describe, expect, it } from '@jest/globals';
import { STEP_KINDS, type ProcessPlan, type StepPlan } from '../../../../dsl/plan';
import type { DiagramGraph } from '../../../../web/src/staff/diagram/diagram-graph';
import { planGraph } from '../../../../web/src/staff/diagram/plan-graph';
import { walkSteps } from '../../../../web/src/staff/diagram/plan-walk';
import { BUILTIN_KEYS, builtinPlan, fixturePlan } from './builtin-plans';

function stepsOf(plan: ProcessPlan): StepPlan[] {
  const steps: StepPlan[] = [];
  walkSteps(plan, (step) => steps.push(step));
  return steps;
}

/** Nodes reachable from start along edges, a container's content counting as reached with it. */
function reachable(graph: DiagramGraph): Set<string> {
  const seen = new Set<string>();
  const queue = ['start'];
  const children = new Map<string, string[]>();
  for (const node of graph.nodes)
    if (node.parentId) children.set(node.parentId, [...(children.get(node.parentId) ?? []), node.id]);
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...graph.edges.filter((edge) => edge.source === id).map((edge) => edge.target));
    queue.push(...(children.get(id) ?? []));
  }
  return seen;
}

const nodeOf = (graph: DiagramGraph, id: string) => {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
};

describe('planGraph', () => {
  it.each(BUILTIN_KEYS)('%s: a node per step keyed by its path, well formed, every step reached from start', (key) => {
    const plan = builtinPlan(key);
    const graph = planGraph(plan);
    const ids = graph.nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const step of stepsOf(plan)) {
      expect(nodeOf(graph, step.path)).toMatchObject({ kind: step.kind, stepPath: step.path, title: step.id });
    }
    for (const node of graph.nodes) {
      if (node.parentId) expect(nodeOf(graph, node.parentId).container).toBe(true);
    }
    for (const edge of graph.edges) {
      expect(ids).toContain(edge.source);
      expect(ids).toContain(edge.target);
    }
    expect(new Set(graph.edges.map((edge) => edge.id)).size).toBe(graph.edges.length);
    const reached = reachable(graph);
    expect(ids.filter((id) => !reached.has(id))).toEqual([]);
  });

  it('quote-approval: rounds of approval nest as containers, the outcome forks on its condition', () => {
    const graph = planGraph(builtinPlan('quote-approval'));
    const rounds = 'steps[0]';
    const approve = 'steps[0].repeat.steps[3]';
    const oneByOne = `${approve}.forEach.steps[0]`;
    const sequentialApproval = `${oneByOne}.forEach.steps[0]`;
    expect(nodeOf(graph, rounds)).toMatchObject({ kind: 'repeat', container: true, parentId: null });
    expect(nodeOf(graph, rounds).details).toEqual([
      { label: 'until', text: '=vars.decision != "sent-back"' },
      { label: 'max', count: 10 },
    ]);
    expect(nodeOf(graph, approve)).toMatchObject({ kind: 'forEach', container: true, parentId: rounds });
    expect(nodeOf(graph, oneByOne)).toMatchObject({ kind: 'forEach', parentId: approve });
    expect(nodeOf(graph, oneByOne).details).toEqual([
      { label: 'if', text: '=vars.decision == "approved" && level.mode == "sequential"' },
      { label: 'items', text: 'role ∈ =level.approvers' },
      { label: 'sequential' },
    ]);
    expect(nodeOf(graph, `${approve}.forEach.steps[1]`).details).toContainEqual({ label: 'concurrent' });
    // The first objection ends the level early: the diagram says so.
    expect(nodeOf(graph, `${approve}.forEach.steps[1]`).details).toContainEqual({
      label: 'completion',
      text: '=vars.decision != "approved"',
    });
    expect(nodeOf(graph, sequentialApproval)).toMatchObject({ kind: 'task', parentId: oneByOne });
    expect(nodeOf(graph, sequentialApproval).details).toEqual([
      { label: 'if', text: '=vars.decision == "approved"' },
      { label: 'candidates', text: '=role' },
      { label: 'due', ms: 86_400_000 },
      { label: 'remind', ms: 8 * 3_600_000, count: 2 },
      { label: 'outcomes', text: 'approve · reject · sendBack' },
    ]);
    expect(nodeOf(graph, 'steps[0].repeat.steps[1]')).toMatchObject({
      kind: 'call',
      subtitle: 'crm.priceQuoteVersion',
    });

    const fromOutcome = graph.edges.filter((edge) => edge.source === 'steps[1]');
    expect(fromOutcome.map(({ target, kind, label }) => ({ target, kind, label }))).toEqual([
      { target: 'steps[1].switch[0].do[0]', kind: 'case', label: '=vars.decision == "approved"' },
      { target: 'steps[1].switch[1].otherwise[0]', kind: 'otherwise', label: undefined },
    ]);
    expect(graph.edges.filter((edge) => edge.target === 'finish').map((edge) => edge.source)).toEqual([
      'steps[1].switch[0].do[2]',
      'steps[1].switch[1].otherwise[1]',
    ]);
  });

  it('ticket-escalation: a parallel of any branch has a lane per branch; the escalation ladder is on its task', () => {
    const plan = builtinPlan('ticket-escalation');
    const graph = planGraph(plan);
    const parallel = 'steps[10].repeat.steps[7]';
    expect(nodeOf(graph, parallel).details).toEqual([{ label: 'mode', text: 'any' }]);
    const lanes = graph.nodes.filter((node) => node.parentId === parallel);
    expect(lanes.map(({ id, kind, title, stepPath }) => ({ id, kind, title, stepPath }))).toEqual([
      { id: `${parallel}.parallel.branches[0]`, kind: 'lane', title: 'customerReopens', stepPath: parallel },
      { id: `${parallel}.parallel.branches[1]`, kind: 'lane', title: 'confirmedOrQuiet', stepPath: parallel },
    ]);
    expect(nodeOf(graph, `${parallel}.parallel.branches[0].steps[0]`)).toMatchObject({
      kind: 'receive',
      subtitle: 'ticket.reopened',
      parentId: `${parallel}.parallel.branches[0]`,
    });
    const respond = nodeOf(graph, 'steps[10].repeat.steps[0]');
    expect(respond.details.map((d) => d.label)).toEqual(
      expect.arrayContaining(['candidates', 'assignee', 'due', 'remind', 'escalate', 'outcomes']),
    );
    expect(respond.details.find((d) => d.label === 'due')).toEqual({
      label: 'due',
      durationExpr: '=steps.sla.responseWithin',
    });
  });

  it('order-fulfilment: a receive with a timeout branches to its onTimeout steps, which rejoin the flow', () => {
    const graph = planGraph(builtinPlan('order-fulfilment'));
    expect(nodeOf(graph, 'steps[8]')).toMatchObject({ kind: 'receive', subtitle: 'delivery.confirmed' });
    expect(nodeOf(graph, 'steps[8]').details).toEqual([
      { label: 'timeout', ms: 30 * 86_400_000 },
      { label: 'bufferAfter', text: 'short' },
    ]);
    const out = graph.edges.filter((edge) => edge.source === 'steps[8]').map(({ target, kind }) => ({ target, kind }));
    expect(out).toEqual(
      expect.arrayContaining([
        { target: 'steps[8].receive.onTimeout[0]', kind: 'timeout' },
        { target: 'steps[9]', kind: 'flow' },
      ]),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ source: 'steps[8].receive.onTimeout[0]', target: 'steps[9]' }),
    );
  });

  it('draws every step kind: n of m, fail and end to their terminals, error handlers, compensation, onFailure', () => {
    const plan = fixturePlan('every-step-kind');
    const graph = planGraph(plan);
    const kinds = new Set(graph.nodes.map((node) => node.kind));
    for (const kind of STEP_KINDS) {
      expect(kinds).toContain(kind);
    }
    const edgeKinds = new Set(graph.edges.map((edge) => edge.kind));
    for (const kind of ['flow', 'case', 'otherwise', 'error', 'timeout', 'compensate'])
      expect(edgeKinds).toContain(kind);
    const byKind = (kind: string) => graph.nodes.filter((node) => node.kind === kind);
    expect(byKind('parallel')[0]!.details).toContainEqual({ label: 'mode', text: 'n', count: 1 });
    for (const fail of byKind('fail'))
      expect(graph.edges).toContainEqual(expect.objectContaining({ source: fail.id, target: 'failed' }));
    for (const end of byKind('end'))
      expect(graph.edges).toContainEqual(expect.objectContaining({ source: end.id, target: 'finish' }));
    expect(byKind('process')[0]!.details).toContainEqual({ label: 'noWait' });
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ source: 'failed', target: 'onFailure', kind: 'error' }),
    );
    const onFailure = plan.onFailure![0]!;
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'onFailure', target: onFailure.path }));
  });
});
