/**
 * The barcode decoder shared by the camera worker and the `decode` CLI: a pure
 * module (no DOM, no Node), so the same code runs in a Web Worker and in Node.
 *
 * Input: a frame `{ data, width, height }` with `data` either RGBA (4 bytes a
 * pixel, as ImageData and pngjs give it) or luminance (1 byte a pixel).
 * Output: `{ format, text }` of the first code found, or null.
 *
 * Two engines, chosen by measurement (bench/decode.ts):
 * - zxing-wasm (ZXing C++ in WebAssembly): the primary. About twice as fast as
 *   zxing-js and it decodes the noisy, blurred and small codes zxing-js misses.
 *   Its .wasm is handed in by the caller (`loadWasm`): the worker fetches the
 *   Vite asset from its own origin, the CLI reads it from node_modules. It is
 *   never fetched from zxing-wasm's default CDN.
 * - zxing-js (@zxing/library 0.21.3, pinned: 0.22/0.23 need Node 24 and 0.23
 *   warns on every empty frame): the fallback when WebAssembly cannot start
 *   (e.g. a CSP without 'wasm-unsafe-eval').
 *
 * Only the four formats a voucher may use are asked for: asking for all
 * formats costs zxing-wasm five times as much per frame.
 */
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  NotFoundException,
  RGBLuminanceSource,
} from '@zxing/library';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

export type CodeFormat = 'QRCode' | 'PDF417' | 'DataMatrix' | 'Aztec';
export const CODE_FORMATS: readonly CodeFormat[] = ['QRCode', 'PDF417', 'DataMatrix', 'Aztec'];

export interface Frame {
  /** RGBA (length width*height*4) or luminance (length width*height). */
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

export interface Decoded {
  format: CodeFormat;
  text: string;
}

export type EngineName = 'zxing-wasm' | 'zxing-js';

export interface Decoder {
  readonly engine: EngineName;
  decode(frame: Frame): Promise<Decoded | null>;
}

export class FrameError extends Error {}

/** Checks the frame's shape; returns whether it is RGBA (else luminance). */
export function frameKind(frame: Frame): 'rgba' | 'luma' {
  const { data, width, height } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) throw new FrameError(`bad frame size ${width}×${height}`);
  if (data.length === width * height * 4) return 'rgba';
  if (data.length === width * height) return 'luma';
  throw new FrameError(`frame data has ${data.length} bytes, expected ${width * height} or ${width * height * 4}`);
}

/** Luminance of an RGBA frame (the same integer weights zxing-wasm uses). */
export function toLuminance(frame: Frame): Uint8ClampedArray {
  if (frameKind(frame) === 'luma') return frame.data instanceof Uint8ClampedArray ? frame.data : new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.length);
  const src = frame.data;
  const n = frame.width * frame.height;
  const out = new Uint8ClampedArray(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) out[i] = (306 * src[j]! + 601 * src[j + 1]! + 117 * src[j + 2]! + 512) >> 10;
  return out;
}

function toRgba(frame: Frame): Uint8ClampedArray {
  if (frameKind(frame) === 'rgba') return frame.data instanceof Uint8ClampedArray ? frame.data : new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.length);
  const n = frame.width * frame.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const v = frame.data[i]!;
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
  return out;
}

// ------------------------------------------------------------------ zxing-js

const JS_FORMATS: Record<number, CodeFormat> = {
  [BarcodeFormat.QR_CODE]: 'QRCode',
  [BarcodeFormat.PDF_417]: 'PDF417',
  [BarcodeFormat.DATA_MATRIX]: 'DataMatrix',
  [BarcodeFormat.AZTEC]: 'Aztec',
};

export function createZxingJsDecoder(formats: readonly CodeFormat[] = CODE_FORMATS): Decoder {
  const reader = new MultiFormatReader();
  const byName: Record<CodeFormat, BarcodeFormat> = {
    QRCode: BarcodeFormat.QR_CODE,
    PDF417: BarcodeFormat.PDF_417,
    DataMatrix: BarcodeFormat.DATA_MATRIX,
    Aztec: BarcodeFormat.AZTEC,
  };
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, formats.map((f) => byName[f])],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  reader.setHints(hints);
  return {
    engine: 'zxing-js',
    async decode(frame) {
      const luma = toLuminance(frame);
      const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luma, frame.width, frame.height)));
      try {
        const r = reader.decodeWithState(bitmap);
        const format = JS_FORMATS[r.getBarcodeFormat()];
        return format ? { format, text: r.getText() } : null;
      } catch (e) {
        // Not found, or found but unreadable (checksum/format): no code in this frame.
        if (e instanceof NotFoundException || (e instanceof Error && /Exception/.test(e.name || e.constructor.name))) return null;
        throw e;
      } finally {
        reader.reset();
      }
    },
  };
}

// ------------------------------------------------------------------ zxing-wasm

const WASM_FORMAT_OF: Record<string, CodeFormat> = {
  QRCode: 'QRCode',
  QRCodeModel2: 'QRCode',
  QRCodeModel1: 'QRCode',
  MicroQRCode: 'QRCode',
  RMQRCode: 'QRCode',
  PDF417: 'PDF417',
  CompactPDF417: 'PDF417',
  MicroPDF417: 'PDF417',
  DataMatrix: 'DataMatrix',
  Aztec: 'Aztec',
  AztecCode: 'Aztec',
  AztecRune: 'Aztec',
};

let wasmReady: Promise<void> | null = null;

/**
 * Starts zxing-wasm with the given .wasm bytes (never from the network).
 * Rejects when WebAssembly cannot start here.
 */
/**
 * How zxing-wasm binarizes: LocalAverage (the default) fails on glare-free
 * moiré from phone screens, where FixedThreshold succeeds (17/17 against 12/17
 * in bench/decode.ts), and FixedThreshold fails on glare. A still image
 * ('still', the CLI) gets both, the second only on a miss; the camera
 * ('camera') alternates them from one frame to the next, so a code held up is
 * seen both ways at the cost of one pass a frame.
 *
 * Light-on-dark codes (a phone in dark mode) are read too. zxing-wasm's
 * `tryInvert` reads a frame a second time, inverted, whenever the first pass
 * finds nothing: it doubles the cost of an empty frame (31 → 91 ms measured at
 * 720p), the common case in a camera loop. So a still gets `tryInvert`, and
 * the camera instead inverts every other frame itself (one pass a frame, as
 * before): the cycle is LocalAverage, LocalAverage inverted, FixedThreshold,
 * FixedThreshold inverted, so any two frames in a row see both polarities and
 * any four see every combination.
 */
export type WasmMode = 'still' | 'camera';

/** The camera's cycle of passes, one a frame (see WasmMode). */
export const CAMERA_PASSES = [
  { binarizer: 'LocalAverage', inverted: false },
  { binarizer: 'LocalAverage', inverted: true },
  { binarizer: 'FixedThreshold', inverted: false },
  { binarizer: 'FixedThreshold', inverted: true },
] as const;

/**
 * The RGBA picture with its colours inverted (alpha kept), written into
 * `scratch` when it has the right size (a camera loop reuses one buffer).
 */
export function invertRgba(rgba: Uint8ClampedArray, scratch?: Uint8ClampedArray): Uint8ClampedArray {
  const out = scratch && scratch.length === rgba.length ? scratch : new Uint8ClampedArray(rgba.length);
  out.set(rgba);
  // Four bytes at a time (out is always 4-aligned: it starts its own buffer); RGBA in memory, alpha the high byte.
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
  for (let i = 0; i < words.length; i++) words[i] = words[i]! ^ 0x00ffffff;
  return out;
}

export function createZxingWasmDecoder(
  loadWasm: () => Promise<ArrayBuffer | Uint8Array>,
  formats: readonly CodeFormat[] = CODE_FORMATS,
  mode: WasmMode = 'still',
): Promise<Decoder> {
  wasmReady ??= (async () => {
    const bytes = await loadWasm();
    const wasmBinary = bytes instanceof Uint8Array ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes;
    await prepareZXingModule({
      overrides: {
        wasmBinary: wasmBinary as ArrayBuffer,
        // Belt and braces: should anything still ask for the file, it is not fetched from a CDN.
        locateFile: (path: string) => path,
      },
      fireImmediately: true,
    });
  })();
  const ready = wasmReady.catch((e: unknown) => {
    wasmReady = null;
    throw e;
  });
  const options: ReaderOptions = {
    formats: [...formats],
    tryHarder: true,
    tryRotate: true,
    // Light on dark: a still tries it on a miss; the camera inverts every other frame itself (see WasmMode).
    tryInvert: mode === 'still',
    tryDownscale: true,
    maxNumberOfSymbols: 1,
  };
  let turn = 0;
  let scratch: Uint8ClampedArray | undefined;
  const pass = async (rgba: Uint8ClampedArray, frame: Frame, binarizer: ReaderOptions['binarizer']): Promise<Decoded | null> => {
    const input = { data: rgba, width: frame.width, height: frame.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0];
    for (const r of await readBarcodes(input, { ...options, binarizer })) {
      const format = WASM_FORMAT_OF[r.format];
      if (r.isValid && format) return { format, text: r.text };
    }
    return null;
  };
  return ready.then(() => ({
    engine: 'zxing-wasm' as const,
    async decode(frame: Frame) {
      const rgba = toRgba(frame);
      if (mode === 'camera') {
        const { binarizer, inverted } = CAMERA_PASSES[turn++ % CAMERA_PASSES.length]!;
        if (!inverted) return pass(rgba, frame, binarizer);
        scratch = invertRgba(rgba, scratch);
        return pass(scratch, frame, binarizer);
      }
      return (await pass(rgba, frame, 'LocalAverage')) ?? pass(rgba, frame, 'FixedThreshold');
    },
  }));
}

/**
 * The decoder the app uses: zxing-wasm, or zxing-js when WebAssembly cannot
 * start (the reason is passed to `onFallback`).
 */
export async function createDecoder(
  opts: { loadWasm?: () => Promise<ArrayBuffer | Uint8Array>; onFallback?: (reason: string) => void; mode?: WasmMode } = {},
): Promise<Decoder> {
  if (opts.loadWasm) {
    try {
      return await createZxingWasmDecoder(opts.loadWasm, CODE_FORMATS, opts.mode ?? 'still');
    } catch (e) {
      opts.onFallback?.(e instanceof Error ? e.message : String(e));
    }
  } else {
    opts.onFallback?.('no WebAssembly binary given');
  }
  return createZxingJsDecoder();
}
