// The decoder thread's entry: worker threads start in plain Node, so the TypeScript loader is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./report-decoder-thread.ts');
