/// <reference lib="webworker" />
/**
 * Decodes camera frames off the main thread. The page sends one frame at a
 * time (an ImageBitmap, or RGBA/luminance pixels) and sends the next only
 * after the answer, so frames never queue here.
 *
 * zxing-wasm's .wasm is a Vite asset of this app, fetched from our own origin
 * (never from a CDN); if WebAssembly cannot start, zxing-js decodes instead.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { createDecoder, type Decoded, type Decoder, type EngineName } from '../../../../common/barcode/decoder';

export type ToWorker =
  | { type: 'frame'; id: number; bitmap: ImageBitmap }
  | { type: 'frame'; id: number; data: Uint8ClampedArray; width: number; height: number };

export type FromWorker =
  | { type: 'ready'; engine: EngineName; fallbackReason: string | null }
  | { type: 'result'; id: number; found: Decoded | null; ms: number; error?: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker) => scope.postMessage(m);

let fallbackReason: string | null = null;
const decoder: Promise<Decoder> = createDecoder({
  mode: 'camera',
  loadWasm: async () => {
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`decoder file: HTTP ${res.status}`);
    return res.arrayBuffer();
  },
  onFallback: (reason) => {
    fallbackReason = reason;
  },
}).then((d) => {
  post({ type: 'ready', engine: d.engine, fallbackReason });
  return d;
});

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

function pixels(bitmap: ImageBitmap): ImageData {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('no 2D canvas in the worker');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, width, height);
}

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type !== 'frame') return;
  const t0 = performance.now();
  try {
    const frame = 'bitmap' in m ? pixels(m.bitmap) : m;
    const found = await (await decoder).decode({ data: frame.data, width: frame.width, height: frame.height });
    post({ type: 'result', id: m.id, found, ms: performance.now() - t0 });
  } catch (err) {
    post({ type: 'result', id: m.id, found: null, ms: performance.now() - t0, error: err instanceof Error ? err.message : String(err) });
  }
};
