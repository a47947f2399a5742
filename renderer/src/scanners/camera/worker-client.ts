/**
 * The page side of the decode worker: one worker for the app (WebAssembly
 * starts once), fed one frame at a time by `startDecodeLoop`.
 */
import { cameraStore } from './store';
import type { Decoded } from '../../../../common/barcode/decoder';
import type { FromWorker, ToWorker } from './decode.worker';

let worker: Worker | null = null;

export function decodeWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'voucherdesk-decoder' });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') cameraStore.setEngine(e.data.engine, e.data.fallbackReason);
    });
  }
  return worker;
}

/** At most this many frames a second go to the decoder (it decodes one 720p frame in ~10–20 ms). */
export const MAX_DECODES_PER_SECOND = 20;

export interface DecodeLoopStats {
  /** Frames sent to the decoder. */
  sent: number;
  /** New video frames skipped because the decoder was still busy or it was too soon. */
  dropped: number;
  lastMs: number;
}

/**
 * Grabs frames from the playing video and decodes them in the worker. A frame
 * is grabbed only when the worker is idle: frames that arrive meanwhile are
 * dropped, never queued, so the decoder always sees the newest picture.
 * Returns a function that stops the loop.
 */
export function startDecodeLoop(video: HTMLVideoElement, onFound: (found: Decoded) => void, stats?: DecodeLoopStats): () => void {
  const w = decodeWorker();
  let stopped = false;
  let busy = false;
  let waiting = 0;
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frameCb: number | undefined;
  const minGap = 1000 / MAX_DECODES_PER_SECOND;

  const onMessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type !== 'result' || m.id !== waiting) return;
    busy = false;
    if (stats) stats.lastMs = m.ms;
    if (!stopped && m.found) onFound(m.found);
  };
  w.addEventListener('message', onMessage);

  const schedule = () => {
    if (stopped) return;
    if (typeof video.requestVideoFrameCallback === 'function') frameCb = video.requestVideoFrameCallback(tick);
    else timer = setTimeout(tick, 1000 / 30);
  };

  function tick() {
    if (stopped) return;
    schedule();
    const now = performance.now();
    if (busy || now - last < minGap || video.readyState < 2 || video.videoWidth === 0) {
      if (stats && busy) stats.dropped++;
      return;
    }
    busy = true;
    last = now;
    const id = ++waiting;
    createImageBitmap(video).then(
      (bitmap) => {
        if (stopped) {
          bitmap.close();
          return;
        }
        if (stats) stats.sent++;
        w.postMessage({ type: 'frame', id, bitmap } satisfies ToWorker, [bitmap]);
      },
      () => {
        busy = false; // no picture yet (the video is between sources): try the next frame
      },
    );
  }

  schedule();
  return () => {
    stopped = true;
    w.removeEventListener('message', onMessage);
    if (timer !== undefined) clearTimeout(timer);
    if (frameCb !== undefined && typeof video.cancelVideoFrameCallback === 'function') video.cancelVideoFrameCallback(frameCb);
  };
}
