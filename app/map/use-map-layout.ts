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

/**
 * The layout of `topology`, computed in a worker whenever `key` changes (a
 * breaker appeared or went), never on a state change. Until the first answer
 * the layout is null; while a newer topology is being laid out the previous
 * layout stays, so the map never blanks.
 */
function startWorker(): Worker | null {
  try {
    return new Worker(new URL('./map-layout.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
}

export function useMapLayout(key: string, topology: MapTopology): LayoutAnswer | null {
  // undefined until a layout is first asked for; null where no worker could start.
  const worker = useRef<Worker | null | undefined>(undefined);
  const [answer, setAnswer] = useState<LayoutAnswer | null>(null);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = undefined;
    },
    [],
  );

  useEffect(() => {
    if (worker.current === undefined) worker.current = startWorker();
    const current = worker.current;
    if (current) {
      const onAnswer = (event: MessageEvent<LayoutAnswer>) => {
        if (event.data.key === key) setAnswer(event.data);
      };
      current.addEventListener('message', onAnswer);
      current.postMessage({ key, topology } satisfies LayoutRequest);
      return () => current.removeEventListener('message', onAnswer);
    }
    // Without workers (never in the browsers we support, but cheap to keep): on the main thread, after this render.
    const timer = setTimeout(() => {
      const started = performance.now();
      const layout = layoutMap(topology);
      setAnswer({ key, layout, layoutMs: performance.now() - started });
    }, 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the topology: a new object with the same key needs no new layout
  }, [key]);

  return answer;
}
