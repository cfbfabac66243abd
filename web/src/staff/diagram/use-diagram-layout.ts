import { useEffect, useRef, useState } from 'react';
import type { DiagramGraph } from './diagram-graph';
import type { LaidOutGraph } from './layout';
import type { LayoutAnswer, LayoutRequest } from './layout.worker';

export interface DiagramLayoutState {
  /** The newest layout finished; the previous one stays while the next is computed, so nothing flickers. */
  layout: LaidOutGraph | null;
  error: string | null;
}

/** Lays out in the main thread where no worker can start (the same code, only slower to the page). */
async function layoutHere(graph: DiagramGraph): Promise<LaidOutGraph> {
  const { layoutGraph } = await import('./layout');
  return layoutGraph(graph);
}

/**
 * The layout of `graph`, computed by ELK in a Web Worker (elkjs is large and takes ~100 ms on a big
 * plan, which would stall typing). Answers to older graphs are dropped; an equal graph is not laid
 * out again.
 */
export function useDiagramLayout(graph: DiagramGraph | null): DiagramLayoutState {
  const [state, setState] = useState<DiagramLayoutState>({ layout: null, error: null });
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    try {
      worker.current = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      worker.current = null;
    }
    const current = worker.current;
    if (current) {
      current.onmessage = (event: MessageEvent<LayoutAnswer>) => {
        const answer = event.data;
        if (answer.id !== latest.current) return;
        setState('layout' in answer ? { layout: answer.layout, error: null } : { layout: null, error: answer.error });
      };
    }
    return () => {
      current?.terminate();
      worker.current = null;
      lastKey.current = null;
    };
  }, []);

  useEffect(() => {
    if (!graph) return;
    const key = JSON.stringify(graph);
    if (key === lastKey.current) return;
    lastKey.current = key;
    const id = ++latest.current;
    if (worker.current) {
      const request: LayoutRequest = { id, graph };
      worker.current.postMessage(request);
      return;
    }
    layoutHere(graph).then(
      (layout) => {
        if (id === latest.current) setState({ layout, error: null });
      },
      (error: unknown) => {
        if (id === latest.current)
          setState({ layout: null, error: error instanceof Error ? error.message : String(error) });
      },
    );
  }, [graph]);

  return state;
}
