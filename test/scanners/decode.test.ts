import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { imageFrame, loadWasmFromDisk } from '../../main/cli/decode';
import { createZxingJsDecoder, createZxingWasmDecoder } from '../../common/barcode/decoder';
import { composeFrame, renderCode, toolsMissing } from '../fixtures/webcam/frames';
import { tempDir, VECTORS } from '../support/workstation';

// Issue 4 item 5: `npm run cli -- decode FILE...` with the camera's decoder.
const CLI = resolve(__dirname, '../../main/cli/index.ts');
const missing = toolsMissing(['ffmpeg', 'zint']);
if (missing) console.log(`Decode tests with JPEG/PDF417/Data Matrix images skipped: ${missing}`);

let tmp: ReturnType<typeof tempDir>;
let voucher: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const lines = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { file: string; format?: string; text?: string; error?: string });
  return { code: r.status, lines, err: r.stderr };
}

beforeAll(async () => {
  tmp = tempDir('vd-decode-');
  // A fixed voucher (a conformance vector), so every run decodes the same picture:
  // a freshly minted one differs each run, and zxing-js misses some QR renderings.
  voucher = VECTORS.vectors.find((v) => v.name.startsWith('x25519-ed25519'))!.text;
  // The voucher as a PNG made by the qrcode package (used by several tests below).
  await QRCode.toFile(join(tmp.dir, 'voucher.png'), [{ mode: 'byte', data: Buffer.from(voucher, 'utf8') }], { errorCorrectionLevel: 'M', scale: 4 });
}, 60_000);
afterAll(() => tmp?.cleanup());

describe('npm run cli -- decode', () => {
  it('decodes a PNG made by the qrcode package; a file with no code, a non-image and a missing file get a clean error each', async () => {
    const png = join(tmp.dir, 'voucher.png');
    const notImage = join(tmp.dir, 'notes.png');
    writeFileSync(notImage, 'this is text, not a picture\n');
    const blank = join(tmp.dir, 'blank.png');
    // A white PNG of the same size with no code at all: the qrcode image, painted over.
    const frame = imageFrame(readFileSync(png));
    const { PNG } = await import('pngjs');
    const white = new PNG({ width: frame.width, height: frame.height });
    white.data.fill(255);
    writeFileSync(blank, PNG.sync.write(white));
    const gone = join(tmp.dir, 'gone.png');

    const r = cli(['decode', png, blank, notImage, gone]);
    expect(r.code).toBe(1); // not every file held a code
    expect(r.lines).toEqual([
      { file: png, format: 'QRCode', text: voucher },
      { file: blank, error: 'no barcode found' },
      { file: notImage, error: 'not a PNG or JPEG image' },
      { file: gone, error: 'no such file' },
    ]);
    expect(r.err).toBe('');
  }, 60_000);

  it('exits 0 when every file held a code, 2 without a file', () => {
    const png = join(tmp.dir, 'voucher.png');
    const ok = cli(['decode', png]);
    expect(ok.code).toBe(0);
    expect(ok.lines[0]?.text).toBe(voucher);
    const none = cli(['decode']);
    expect(none.code).toBe(2);
  }, 60_000);

  it.skipIf(!!missing)('decodes a JPEG photo-like frame, a zint PDF417 and a zint Data Matrix', async () => {
    const qr = await renderCode('qrencode', voucher, join(tmp.dir, 'qrencode.png'));
    const framePng = composeFrame(join(tmp.dir, 'frame.png'), { width: 1280, height: 720, code: qr, angle: 5, blur: 0.6, seed: 2 });
    const jpeg = join(tmp.dir, 'frame.jpg');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', framePng, '-q:v', '4', jpeg]);
    const pdf = await renderCode('pdf417', voucher, join(tmp.dir, 'pdf417.png'));
    const dm = await renderCode('datamatrix', voucher, join(tmp.dir, 'datamatrix.png'));
    const r = cli(['decode', jpeg, pdf, dm]);
    expect(r.lines).toEqual([
      { file: jpeg, format: 'QRCode', text: voucher },
      { file: pdf, format: 'PDF417', text: voucher },
      { file: dm, format: 'DataMatrix', text: voucher },
    ]);
    expect(r.code).toBe(0);
  }, 60_000);

  it('a damaged PNG is an error line, not a crash', () => {
    const bad = join(tmp.dir, 'cut.png');
    writeFileSync(bad, readFileSync(join(tmp.dir, 'voucher.png')).subarray(0, 60));
    const r = cli(['decode', bad]);
    expect(r.code).toBe(1);
    expect(r.lines[0]?.error).toMatch(/^damaged PNG/);
  }, 60_000);

  it('a PNG cut anywhere is damaged, every time (pngjs alone read past the end of some, into uncleared memory)', () => {
    const whole = readFileSync(join(tmp.dir, 'voucher.png'));
    expect(imageFrame(whole).width).toBeGreaterThan(0);
    for (const at of [9, 33, 60, 100, Math.floor(whole.length / 2), whole.length - 12, whole.length - 1]) {
      for (let k = 0; k < 5; k++) expect(() => imageFrame(whole.subarray(0, at)), `cut at ${at}`).toThrow(/^damaged PNG/);
    }
  });
});

describe('the decoder module (the same code the camera worker runs)', () => {
  it('zxing-wasm and the zxing-js fallback read the same voucher from RGBA and from luminance', async () => {
    const png = join(tmp.dir, 'voucher.png');
    const rgba = imageFrame(readFileSync(png));
    const luma = new Uint8ClampedArray(rgba.width * rgba.height);
    for (let i = 0; i < luma.length; i++) luma[i] = rgba.data[i * 4]!;
    const wasm = await createZxingWasmDecoder(loadWasmFromDisk);
    const js = createZxingJsDecoder();
    for (const d of [wasm, js]) {
      expect(await d.decode(rgba)).toEqual({ format: 'QRCode', text: voucher });
      expect(await d.decode({ data: luma, width: rgba.width, height: rgba.height })).toEqual({ format: 'QRCode', text: voucher });
      expect(await d.decode({ data: new Uint8ClampedArray(64 * 48).fill(200), width: 64, height: 48 })).toBeNull();
    }
    await expect(wasm.decode({ data: new Uint8ClampedArray(10), width: 4, height: 4 })).rejects.toThrow(/frame data has 10 bytes/);
  }, 60_000);
});

describe('when WebAssembly cannot start, zxing-js decodes instead', () => {
  it('a .wasm that cannot be loaded, or is not WebAssembly: the fallback engine, with the reason, still decoding', async () => {
    const frame = imageFrame(readFileSync(join(tmp.dir, 'voucher.png')));
    for (const loadWasm of [() => Promise.reject(new Error('HTTP 404')), () => Promise.resolve(new Uint8Array([1, 2, 3, 4]))]) {
      vi.resetModules(); // a fresh decoder module: no WebAssembly started yet
      const { createDecoder } = await import('../../common/barcode/decoder');
      const reasons: string[] = [];
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {}); // Emscripten reports its abort on stderr
      const d = await createDecoder({ loadWasm, onFallback: (r) => reasons.push(r) });
      errors.mockRestore();
      expect(d.engine).toBe('zxing-js');
      expect(reasons).toHaveLength(1);
      expect(await d.decode(frame)).toEqual({ format: 'QRCode', text: voucher });
    }
  }, 60_000);
});
