import { useEffect, useRef, useState } from 'react';
import type { DiagramGraph } from './diagram-graph';
import type { LaidOutGraph } from './layout';
import type { LayoutAnswer, LayoutRequest } from './layout.worker';

export interface DiagramLayoutState {
  /** The newest layout finished; the previous one stays while the next is computed, so nothing flickers. */
  layout: LaidOutGraph | null;
  error: string | null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The layout of `graph`, computed by ELK in a Web Worker (elkjs is large and takes 100–300 ms on
 * a big plan, which would stall typing). Answers to older graphs are dropped; an equal graph is
 * not laid out again. Where no worker starts, the same code runs in the page.
 */
export function useDiagramLayout(graph: DiagramGraph | null): DiagramLayoutState {
  const [state, setState] = useState<DiagramLayoutState>({ layout: null, error: null });
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const lastKey = useRef<string | null>(null);
  const pending = useRef<DiagramGraph | null>(null);

  const layoutHere = (id: number, next: DiagramGraph) => {
    import('./layout')
      .then(({ layoutGraph }) => layoutGraph(next))
      .then(
        (layout) => {
          if (id === latest.current) setState({ layout, error: null });
        },
        (error: unknown) => {
          if (id === latest.current) setState({ layout: null, error: messageOf(error) });
        },
      );
  };

  useEffect(() => {
    let current: Worker | null = null;
    try {
      current = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      current = null;
    }
    worker.current = current;
    if (current) {
      current.onmessage = (event: MessageEvent<LayoutAnswer>) => {
        const answer = event.data;
        if (answer.id !== latest.current) return;
        setState('layout' in answer ? { layout: answer.layout, error: null } : { layout: null, error: answer.error });
      };
      // A worker that fails to load (a blocked script, an old browser) leaves the layout to the page.
      current.onerror = () => {
        current?.terminate();
        worker.current = null;
        if (pending.current) layoutHere(latest.current, pending.current);
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
    pending.current = graph;
    const id = ++latest.current;
    if (worker.current) {
      const request: LayoutRequest = { id, graph };
      worker.current.postMessage(request);
    } else layoutHere(id, graph);
  }, [graph]);

  return state;
}
