import { layoutMap } from './map-layout';
import type { LayoutRequest, LayoutAnswer } from './use-map-layout';

// Laying out 2,000 edges takes longer than a frame: it runs here, off the page's main thread.
self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  const layout = layoutMap(event.data.topology);
  const answer: LayoutAnswer = { key: event.data.key, layout, layoutMs: performance.now() - started };
  self.postMessage(answer);
};
