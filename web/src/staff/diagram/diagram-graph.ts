import type { StepKind } from '../../../../dsl/plan';

/**
 * The plan as boxes and arrows, before layout: what `planGraph` produces and `layoutGraph` places.
 * Texts are language-neutral (ids, expressions, role and activity names, milliseconds); the
 * component words them in the reader's language.
 */
export type DiagramNodeKind = StepKind | 'start' | 'finish' | 'failed' | 'lane' | 'onFailure';

/** One line of a node's details: `diagram.detail.<label>` worded with `text`, the duration and `count`. */
export interface DiagramDetail {
  label: DetailLabel;
  text?: string;
  /** A literal duration. */
  ms?: number;
  /** An expression giving the duration (ISO 8601) when it is not literal. */
  durationExpr?: string;
  count?: number;
}

export type DetailLabel =
  | 'if'
  | 'candidates'
  | 'assignee'
  | 'due'
  | 'remind'
  | 'escalate'
  | 'outcomes'
  | 'items'
  | 'concurrent'
  | 'sequential'
  | 'until'
  | 'completion'
  | 'max'
  | 'timeout'
  | 'match'
  | 'buffer'
  | 'bufferAfter'
  | 'wait'
  | 'waitUntil'
  | 'noWait'
  | 'vars'
  | 'result'
  | 'code'
  | 'mode'
  | 'onError';

export interface DiagramNode {
  /** The step's plan path (`steps[0].repeat.steps[2]`), a lane's `<parallel path>.parallel.branches[i]`, or `start`/`finish`/`failed`/`onFailure`. */
  id: string;
  kind: DiagramNodeKind;
  /** The plan step a click selects: the step itself, or for a lane its parallel; null for start/finish/failed/onFailure. */
  stepPath: string | null;
  /** The container the node is drawn in, null at the top. */
  parentId: string | null;
  container: boolean;
  /** The step id, or a lane's branch id. */
  title: string;
  /** Activity, child template or event. */
  subtitle?: string;
  details: DiagramDetail[];
}

export type DiagramEdgeKind = 'flow' | 'case' | 'otherwise' | 'error' | 'timeout' | 'compensate';

export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  kind: DiagramEdgeKind;
  /** A case's `when` expression, an error handler's `then`. */
  label?: string;
}

export interface DiagramGraph {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}
