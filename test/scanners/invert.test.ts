/**
 * Light-on-dark codes (a phone in dark mode): a still (`npm run cli -- decode`)
 * reads them with zxing-wasm's tryInvert; the camera inverts every other frame
 * itself, so it reads them within a couple of frames and an empty frame still
 * costs one pass. The code is a real GBV2 voucher in QR alphanumeric mode, level M.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFrame, loadWasmFromDisk } from '../../main/cli/decode';
import { CAMERA_PASSES, createZxingWasmDecoder, invertRgba, type Frame } from '../../common/barcode/decoder';
import { tempDir } from '../support/workstation';

const CLI = resolve(__dirname, '../../main/cli/index.ts');
const VECTORS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'vectors-v2', 'vectors.json'), 'utf8')) as {
  vectors: { name: string; text: string }[];
};
const VOUCHER = VECTORS.vectors.find((v) => v.name === 'x25519 + ed25519 item')!.text;

let tmp: ReturnType<typeof tempDir>;
let normal: Frame;
let inverted: Frame;

beforeAll(async () => {
  tmp = tempDir('vd-invert-');
  const file = join(tmp.dir, 'gbv2.png');
  await QRCode.toFile(file, [{ mode: 'alphanumeric', data: VOUCHER }], { errorCorrectionLevel: 'M', margin: 4, scale: 4 });
  normal = imageFrame(readFileSync(file));
  // White modules on black, quiet zone black too: what a phone in dark mode shows.
  const png = PNG.sync.read(readFileSync(file));
  for (let i = 0; i < png.data.length; i += 4) for (let c = 0; c < 3; c++) png.data[i + c] = 255 - png.data[i + c]!;
  writeFileSync(join(tmp.dir, 'gbv2-dark.png'), PNG.sync.write(png));
  inverted = imageFrame(readFileSync(join(tmp.dir, 'gbv2-dark.png')));
}, 60_000);
afterAll(() => tmp?.cleanup());

describe('light-on-dark codes', () => {
  it('the GBV2 QR is alphanumeric mode at level M, version 12 or lower', () => {
    const qr = QRCode.create([{ mode: 'alphanumeric', data: VOUCHER }], { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(12);
    expect(qr.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric']);
  });

  it('invertRgba flips the colours, keeps alpha, and twice gives the picture back', () => {
    const px = new Uint8ClampedArray([0, 10, 255, 255, 200, 100, 50, 128]);
    const once = invertRgba(px);
    expect([...once]).toEqual([255, 245, 0, 255, 55, 155, 205, 128]);
    expect([...invertRgba(once)]).toEqual([...px]);
    expect([...px]).toEqual([0, 10, 255, 255, 200, 100, 50, 128]); // the input is never changed
    // An unaligned view (a pooled Buffer's pixels) works as well.
    const buf = new Uint8ClampedArray(9);
    buf.set(px, 1);
    expect([...invertRgba(buf.subarray(1))]).toEqual([...once]);
  });

  it('a still decodes it (the CLI, zxing-wasm with tryInvert), as it does the dark-on-light one', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'decode', join(tmp.dir, 'gbv2-dark.png'), join(tmp.dir, 'gbv2.png')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text?: string });
    expect(lines.map((l) => l.text)).toEqual([VOUCHER, VOUCHER]);
    expect(r.status).toBe(0);
  }, 60_000);

  it('the camera reads it within a couple of frames, wherever in its cycle the code appears, and the dark-on-light one as before', async () => {
    // The cycle alternates polarity every frame: whichever frame the code first shows on, it is read by the second.
    expect(CAMERA_PASSES.map((p) => p.inverted)).toEqual([false, true, false, true]);
    for (const [frame, name] of [
      [inverted, 'inverted'],
      [normal, 'normal'],
    ] as const) {
      for (let start = 0; start < CAMERA_PASSES.length; start++) {
        const camera = await createZxingWasmDecoder(loadWasmFromDisk, ['QRCode'], 'camera');
        const empty: Frame = { data: new Uint8ClampedArray(frame.width * frame.height).fill(90), width: frame.width, height: frame.height };
        for (let i = 0; i < start; i++) expect(await camera.decode(empty)).toBeNull();
        let frames = 0;
        let found = null;
        while (!found && frames < CAMERA_PASSES.length) {
          frames++;
          found = await camera.decode(frame);
        }
        expect(found, `${name}, cycle position ${start}`).toEqual({ format: 'QRCode', text: VOUCHER });
        expect(frames, `${name}, cycle position ${start}`).toBeLessThanOrEqual(2);
      }
    }
  }, 60_000);
});
