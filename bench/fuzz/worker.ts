/**
 * One parser's fuzz run in a worker thread (bench/fuzz.ts starts them). Before
 * each input it writes the input's index into shared memory, so that a
 * watchdog in the main thread can name the input a worker got stuck on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzz } from './harness';
import { TARGETS } from './targets/index';

export interface WorkerTask {
  target: string;
  seed: number;
  start: number;
  count: number;
  hangMs: number;
  /** Int32Array over a SharedArrayBuffer: [0] = index of the input being opened. */
  current: SharedArrayBuffer;
}

const task = workerData as WorkerTask;
const current = new Int32Array(task.current);
const target = await TARGETS[task.target]!();
const open = target.open.bind(target);
const result = await fuzz(
  {
    ...target,
    open: (input) => {
      Atomics.add(current, 0, 1);
      return open(input);
    },
  },
  { count: task.count, seed: task.seed, start: task.start, hangMs: task.hangMs, onProgress: (done) => parentPort!.postMessage({ progress: done }) },
);
await target.close?.();
parentPort!.postMessage({ result });
