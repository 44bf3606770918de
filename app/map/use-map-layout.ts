import { useEffect, useRef, useState } from 'react';
import { layoutMap, type MapLayout } from './map-layout';
import type { MapTopology } from './map-topology';

export interface LayoutRequest {
  key: string;
  topology: MapTopology;
}

export interface LayoutAnswer {
  key: string;
  layout: MapLayout;
  /** How long the layout took, for the figure under the map and the browser bench. */
  layoutMs: number;
}

/** A layout with the topology it was made from (which may be older than the current one). */
export interface LaidOut extends LayoutAnswer {
  topology: MapTopology;
}

function startWorker(): Worker | null {
  try {
    return new Worker(new URL('./map-layout.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
}

/**
 * The layout of `topology`, computed in a worker whenever `key` changes (a
 * breaker appeared or went), never on a state change. One layout runs at a
 * time: sets of breakers that change while it runs (a fleet registering) wait,
 * and only the latest is laid out next. Until the first answer the layout is
 * null; until a newer one arrives the previous layout stays, so the map never
 * blanks.
 */
export function useMapLayout(key: string, topology: MapTopology): LaidOut | null {
  const [answer, setAnswer] = useState<LaidOut | null>(null);
  const runner = useRef<{ worker: Worker | null; running: LayoutRequest | null; next: LayoutRequest | null } | null>(null);

  useEffect(() => {
    const state: { worker: Worker | null; running: LayoutRequest | null; next: LayoutRequest | null } = { worker: startWorker(), running: null, next: null };
    runner.current = state;
    state.worker?.addEventListener('message', (event: MessageEvent<LayoutAnswer>) => {
      const done = state.running;
      state.running = state.next;
      state.next = null;
      if (state.running) state.worker?.postMessage(state.running);
      if (done && done.key === event.data.key) setAnswer({ ...event.data, topology: done.topology });
    });
    // A layout that failed leaves the previous one drawn; the next set of breakers still gets its turn.
    state.worker?.addEventListener('error', () => {
      state.running = state.next;
      state.next = null;
      if (state.running) state.worker?.postMessage(state.running);
    });
    return () => {
      state.worker?.terminate();
      runner.current = null;
    };
  }, []);

  useEffect(() => {
    // Nothing to place (the map says so itself): no layout, and no empty one to draw later.
    if (topology.edges.length === 0) return;
    const state = runner.current;
    if (state?.worker) {
      const request: LayoutRequest = { key, topology };
      if (state.running) state.next = request;
      else {
        state.running = request;
        state.worker.postMessage(request);
      }
      return;
    }
    // Without workers (never in the browsers we support, but cheap to keep): on the main thread, after this render.
    const timer = setTimeout(() => {
      const started = performance.now();
      const layout = layoutMap(topology);
      setAnswer({ key, layout, layoutMs: performance.now() - started, topology });
    }, 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the topology: a new object with the same key needs no new layout
  }, [key]);

  return answer;
}
