import type {
  CandidatesPlan,
  EscalationPlan,
  Expr,
  ProcessPlan,
  StepPlan,
  TaskStep,
  ValueTemplate,
} from '../../../../dsl/plan';
import type { DiagramDetail, DiagramEdge, DiagramEdgeKind, DiagramGraph, DiagramNode } from './diagram-graph';

/** Where a sequence continues: the nodes its last steps leave from, with the label of that way out. */
interface Exit {
  from: string;
  kind: DiagramEdgeKind;
  label?: string;
}

const LONGEST_TEXT = 120;

/** The value with each expression as the designer writes it (`=expr`) and literals unwrapped. */
function asWritten(value: ValueTemplate): unknown {
  if (Array.isArray(value)) return value.map(asWritten);
  if (value === null || typeof value !== 'object') return value;
  if ('$expr' in value) return `=${String(value.$expr)}`;
  if ('$literal' in value && Object.keys(value).length === 1) return value.$literal;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asWritten(inner)]));
}

/** A completion condition ends the step early: shown so the reader knows branches may be withdrawn. */
function completionDetail(completion: Expr | undefined): DiagramDetail[] {
  return completion ? [{ label: 'completion', text: valueText(completion) }] : [];
}

/** A value as the designer wrote it: `=expr` for expressions, literals as text or compact JSON. */
export function valueText(value: ValueTemplate | undefined): string {
  if (value === undefined) return '';
  const written = asWritten(value);
  const text = typeof written === 'string' ? written : JSON.stringify(written);
  return text.length > LONGEST_TEXT ? `${text.slice(0, LONGEST_TEXT - 1)}…` : text;
}

function candidatesText(candidates: CandidatesPlan): string {
  const parts: string[] = [];
  if (candidates.role !== undefined) parts.push(valueText(candidates.role));
  if (candidates.users !== undefined) parts.push(valueText(candidates.users));
  for (const [key, value] of Object.entries(candidates.where ?? {})) parts.push(`${key}: ${valueText(value)}`);
  return parts.join(', ');
}

/** One rung of the ladder in symbols every language reads: → reassign, ✉ notify, ⇡ priority. */
function rungDetail(rung: EscalationPlan): DiagramDetail {
  const actions: string[] = [];
  if (rung.reassign?.user !== undefined) actions.push(`→ ${valueText(rung.reassign.user)}`);
  if (rung.reassign?.candidates) actions.push(`→ ${candidatesText(rung.reassign.candidates)}`);
  if (rung.notify !== undefined) actions.push(`✉ ${valueText(rung.notify)}`);
  if (rung.raisePriority) actions.push(`⇡ ${rung.raisePriority}`);
  const detail: DiagramDetail = { label: 'escalate', text: actions.join('  ') };
  if (rung.afterMs !== undefined) detail.ms = rung.afterMs;
  else if (rung.afterExpr) detail.durationExpr = valueText(rung.afterExpr);
  return detail;
}

function taskDetails(step: TaskStep): DiagramDetail[] {
  const details: DiagramDetail[] = [];
  if (step.candidates) details.push({ label: 'candidates', text: candidatesText(step.candidates) });
  if (step.assignee !== undefined) details.push({ label: 'assignee', text: valueText(step.assignee) });
  if (step.dueMs !== undefined) details.push({ label: 'due', ms: step.dueMs });
  else if (step.dueExpr) details.push({ label: 'due', durationExpr: valueText(step.dueExpr) });
  if (step.remind) {
    const every = step.remind.everyMs;
    details.push(
      every !== undefined
        ? { label: 'remind', ms: every, count: step.remind.times }
        : { label: 'remind', durationExpr: valueText(step.remind.everyExpr), count: step.remind.times },
    );
  }
  for (const rung of step.escalate ?? []) details.push(rungDetail(rung));
  details.push({ label: 'outcomes', text: step.outcomes.join(' · ') });
  return details;
}

/** The subtitle and details a step shows on its box. */
function describe(step: StepPlan): { subtitle?: string; details: DiagramDetail[] } {
  const ifDetail: DiagramDetail[] = step.if ? [{ label: 'if', text: valueText(step.if) }] : [];
  const errorDetail: DiagramDetail[] = step.onError ? [{ label: 'onError', text: step.onError.then }] : [];
  const withCommon = (subtitle: string | undefined, details: DiagramDetail[]) => ({
    ...(subtitle === undefined ? {} : { subtitle }),
    details: [...ifDetail, ...details, ...errorDetail],
  });
  switch (step.kind) {
    case 'call':
      return withCommon(step.activity, []);
    case 'task':
      return withCommon(undefined, taskDetails(step));
    case 'switch':
      return withCommon(undefined, []);
    case 'parallel': {
      const mode: DiagramDetail = {
        label: 'mode',
        text: step.mode,
        ...(step.mode === 'n' ? { count: step.n ?? 1 } : {}),
      };
      return withCommon(undefined, [mode, ...completionDetail(step.completion)]);
    }
    case 'forEach': {
      const each: DiagramDetail = step.concurrent
        ? { label: 'concurrent', ...(step.maxConcurrency ? { count: step.maxConcurrency } : {}) }
        : { label: 'sequential' };
      return withCommon(undefined, [
        { label: 'items', text: `${step.as} ∈ ${valueText(step.items)}` },
        each,
        ...completionDetail(step.completion),
      ]);
    }
    case 'repeat':
      return withCommon(undefined, [
        { label: 'until', text: valueText(step.until) },
        { label: 'max', count: step.maxIterations },
      ]);
    case 'wait':
      return withCommon(
        undefined,
        step.durationMs !== undefined
          ? [{ label: 'wait', ms: step.durationMs }]
          : [{ label: 'waitUntil', text: valueText(step.until) }],
      );
    case 'receive': {
      const details: DiagramDetail[] = [];
      if (step.match) details.push({ label: 'match', text: valueText(step.match) });
      if (step.timeoutMs !== undefined) details.push({ label: 'timeout', ms: step.timeoutMs });
      if (step.buffer?.after === null) details.push({ label: 'buffer' });
      else if (step.buffer) details.push({ label: 'bufferAfter', text: step.buffer.after });
      return withCommon(step.event, details);
    }
    case 'process':
      return withCommon(step.template, step.wait ? [] : [{ label: 'noWait' }]);
    case 'set':
      return withCommon(undefined, [{ label: 'vars', text: Object.keys(step.vars).join(', ') }]);
    case 'end':
      return withCommon(
        undefined,
        step.result === undefined ? [] : [{ label: 'result', text: valueText(step.result) }],
      );
    case 'fail':
      return withCommon(undefined, [{ label: 'code', text: step.code }]);
  }
}

/**
 * The plan as a graph (pure): a node per step keyed by its path, start and finish, containers for
 * parallel (a lane per branch), forEach and repeat; a switch fans out with an edge per case
 * labelled with its `when`; timeouts, error handlers and compensations hang off their step; the
 * plan's `onFailure` follows a "failed" node.
 */
export function planGraph(plan: ProcessPlan): DiagramGraph {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const ids = new Set<string>();
  let failedNeeded = false;

  const addNode = (node: DiagramNode) => {
    nodes.push(node);
    ids.add(node.id);
  };
  const addEdge = (source: string, target: string, kind: DiagramEdgeKind, label?: string) => {
    edges.push({ id: `${source}→${target}#${edges.length}`, source, target, kind, ...(label ? { label } : {}) });
  };
  const connect = (exits: Exit[], target: string) => {
    for (const exit of exits) addEdge(exit.from, target, exit.kind, exit.label);
  };
  const toFailed = (from: string, kind: DiagramEdgeKind, label?: string) => {
    failedNeeded = true;
    addEdge(from, 'failed', kind, label);
  };

  /** Lays a list of steps one after another in `parentId`; returns its first node and its exits. */
  const sequence = (steps: StepPlan[], parentId: string | null): { entry: string | null; exits: Exit[] } => {
    let entry: string | null = null;
    let exits: Exit[] = [];
    for (const step of steps) {
      const drawn = drawStep(step, parentId);
      if (entry === null) entry = step.path;
      connect(exits, step.path);
      exits = drawn;
    }
    return { entry, exits };
  };

  /** Draws one step (and what nests in it); returns the ways out of it to the next step. */
  const drawStep = (step: StepPlan, parentId: string | null): Exit[] => {
    const container = step.kind === 'parallel' || step.kind === 'forEach' || step.kind === 'repeat';
    addNode({
      id: step.path,
      kind: step.kind,
      stepPath: step.path,
      parentId,
      container,
      title: step.id,
      ...describe(step),
    });
    let exits: Exit[] = [{ from: step.path, kind: 'flow' }];
    switch (step.kind) {
      case 'switch': {
        exits = [];
        const ways: { steps: StepPlan[]; kind: DiagramEdgeKind; label?: string }[] = step.cases.map((c) => ({
          steps: c.steps,
          kind: 'case',
          label: valueText(c.when),
        }));
        // Without `otherwise` the switch still has that way out: straight on to the next step.
        ways.push({ steps: step.otherwise ?? [], kind: 'otherwise' });
        for (const way of ways) {
          const { entry, exits: wayExits } = sequence(way.steps, parentId);
          if (entry === null)
            exits.push({ from: step.path, kind: way.kind, ...(way.label ? { label: way.label } : {}) });
          else {
            addEdge(step.path, entry, way.kind, way.label);
            exits.push(...wayExits);
          }
        }
        break;
      }
      case 'parallel':
        step.branches.forEach((branch, index) => {
          const laneId = `${step.path}.parallel.branches[${index}]`;
          addNode({
            id: laneId,
            kind: 'lane',
            stepPath: step.path,
            parentId: step.path,
            container: true,
            title: branch.id,
            details: [],
          });
          sequence(branch.steps, laneId);
        });
        break;
      case 'forEach':
      case 'repeat':
        sequence(step.steps, step.path);
        break;
      case 'receive':
        if (step.onTimeout?.length) {
          const timeout = sequence(step.onTimeout, parentId);
          addEdge(step.path, timeout.entry!, 'timeout');
          exits.push(...timeout.exits);
        }
        break;
      case 'call':
        if (step.compensate?.length) {
          const undo = sequence(step.compensate, parentId);
          addEdge(step.path, undo.entry!, 'compensate');
        }
        break;
      case 'end':
        addEdge(step.path, 'finish', 'flow');
        exits = [];
        break;
      case 'fail':
        toFailed(step.path, 'flow');
        exits = [];
        break;
      default:
        break;
    }
    if (step.onError) {
      const handler = sequence(step.onError.steps, parentId);
      const then = step.onError.then;
      if (handler.entry === null) {
        if (then === 'fail') toFailed(step.path, 'error');
        else exits.push({ from: step.path, kind: 'error' });
      } else {
        addEdge(step.path, handler.entry, 'error');
        if (then === 'fail') for (const exit of handler.exits) toFailed(exit.from, exit.kind, exit.label);
        else exits.push(...handler.exits);
      }
    }
    return exits;
  };

  addNode({ id: 'start', kind: 'start', stepPath: null, parentId: null, container: false, title: '', details: [] });
  const main = sequence(plan.steps, null);
  if (main.entry) addEdge('start', main.entry, 'flow');
  addNode({ id: 'finish', kind: 'finish', stepPath: null, parentId: null, container: false, title: '', details: [] });
  if (main.entry === null) addEdge('start', 'finish', 'flow');
  else connect(main.exits, 'finish');

  if (plan.onFailure?.length) {
    failedNeeded = true;
    addNode({
      id: 'onFailure',
      kind: 'onFailure',
      stepPath: null,
      parentId: null,
      container: false,
      title: '',
      details: [],
    });
    addEdge('failed', 'onFailure', 'error');
    const handler = sequence(plan.onFailure, null);
    if (handler.entry) addEdge('onFailure', handler.entry, 'flow');
  }
  if (failedNeeded && !ids.has('failed')) {
    addNode({ id: 'failed', kind: 'failed', stepPath: null, parentId: null, container: false, title: '', details: [] });
  }
  return { nodes, edges };
}
