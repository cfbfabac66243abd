import type { DiagramGraph } from './diagram-graph';
import { layoutGraph, type LaidOutGraph } from './layout';

export type LayoutRequest = { id: number; graph: DiagramGraph };
export type LayoutAnswer = { id: number; layout: LaidOutGraph } | { id: number; error: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(answer: LayoutAnswer): void;
}
const scope = self as unknown as WorkerScope;

// ELK's bundle, loaded in a worker, claims `self.onmessage` for its own protocol when it is
// imported; the assignment below runs after the imports and takes the messages back.
scope.onmessage = (event) => {
  const { id, graph } = event.data;
  layoutGraph(graph).then(
    (layout) => scope.postMessage({ id, layout }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
};
