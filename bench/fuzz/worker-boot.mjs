// Starts bench/fuzz/worker.ts in a worker thread: Node 20 does not pass tsx's
// loader to workers, so the worker registers it itself, then loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
