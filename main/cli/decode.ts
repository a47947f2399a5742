/**
 * `npm run cli -- decode FILE...`: decodes still images (PNG, JPEG) with the
 * decoder the app's camera uses (common/barcode/decoder.ts) and
 * prints one JSON line per file: {"file","format","text"} or {"file","error"}.
 * Light-on-dark codes (a screenshot of a phone in dark mode) are read too: a
 * still is decoded in the decoder's 'still' mode, which tries the inverted
 * picture on a miss.
 * Exit code 0 when every file held a code, 1 otherwise.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createDecoder, type Decoder, type Frame } from '../../common/barcode/decoder';

const require = createRequire(import.meta.url);

/** The zxing-wasm binary from node_modules (never the CDN). */
export function loadWasmFromDisk(): Promise<Buffer> {
  return readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
}

export class ImageError extends Error {}

/**
 * Why a PNG's chunks do not add up (cut short, or no IEND), or null. pngjs
 * reads a cut file past its end into memory it never cleared, so a cut PNG
 * was sometimes "read" as a picture of noise ("no barcode found") and
 * sometimes refused: the chunks are walked first, the same way every time.
 */
function pngCut(bytes: Buffer): string | null {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    at += 12 + length;
    if (at > bytes.length) return `its ${type} chunk is cut short`;
    if (type === 'IEND') return null;
  }
  return 'it ends before its IEND chunk';
}

/** Reads a PNG or JPEG file (by its signature, not its name) into an RGBA frame. */
export function imageFrame(bytes: Buffer): Frame {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const cut = pngCut(bytes);
    if (cut) throw new ImageError(`damaged PNG (${cut})`);
    let png: PNG;
    try {
      png = PNG.sync.read(bytes);
    } catch (e) {
      throw new ImageError(`damaged PNG (${e instanceof Error ? e.message : String(e)})`);
    }
    return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    } catch (e) {
      throw new ImageError(`damaged JPEG (${e instanceof Error ? e.message : String(e)})`);
    }
    return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), width: img.width, height: img.height };
  }
  throw new ImageError('not a PNG or JPEG image');
}

export type DecodeLine = { file: string; format: string; text: string } | { file: string; error: string };

export async function decodeFile(decoder: Decoder, file: string): Promise<DecodeLine> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not an image' : 'cannot read the file' };
  }
  let frame: Frame;
  try {
    frame = imageFrame(bytes);
  } catch (e) {
    if (e instanceof ImageError) return { file, error: e.message };
    throw e;
  }
  const found = await decoder.decode(frame);
  return found ? { file, format: found.format, text: found.text } : { file, error: 'no barcode found' };
}

export async function runDecode(files: string[], out: (line: string) => void, warn: (line: string) => void): Promise<number> {
  const engine = process.env.VOUCHERDESK_DECODER;
  const decoder = await createDecoder({
    ...(engine === 'zxing-js' ? {} : { loadWasm: loadWasmFromDisk }),
    onFallback: (reason) => {
      if (engine !== 'zxing-js') warn(`decode: zxing-wasm could not start (${reason}); using zxing-js`);
    },
  });
  let failed = 0;
  for (const file of files) {
    const line = await decodeFile(decoder, file);
    if ('error' in line) failed++;
    out(JSON.stringify(line));
  }
  return failed ? 1 : 0;
}
