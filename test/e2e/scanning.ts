/**
 * What the end-to-end scanner tests share: how a keyboard-wedge scanner types,
 * how a serial scanner's bytes come down a 9600 baud line, and how a test
 * waits for the next verdict and reads what the ledger redeemed.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { HistoryEntry } from '../../preload/contract';
import { composeFrame, invertPng, renderCode, writeY4m, yuvFrame } from '../fixtures/webcam/frames';
import type { PtyPair } from '../scanners/socat';
import type { Rig } from './harness';

/** The rig's core and verdict, read the way every scanner test reads them. */
export function counter(rig: () => Rig) {
  async function core<T>(name: string, input: unknown): Promise<T> {
    const o = await rig().core.connection.call(name, input);
    if (!o.ok) throw new Error(`${name}: ${o.error.code}`);
    return o.value as T;
  }
  /** The jti of every redemption in the ledger, newest first. */
  const redeemed = async () => (await core<HistoryEntry[]>('ledger.history', { limit: 100 })).filter((e) => e.type === 'redemption').map((e) => e.jti);
  /** The verdict panel's sequence number, to wait for the next one. */
  const seq = () => rig().page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? null);
  async function nextVerdict(before: string | null): Promise<string> {
    await rig().page.waitForFunction(
      (prev) => {
        const el = document.querySelector('[data-testid="verdict"]');
        return el && el.getAttribute('data-seq') !== prev && el.getAttribute('data-verdict');
      },
      before,
      { timeout: 20_000 },
    );
    return (await rig().page.getByTestId('verdict').getAttribute('data-verdict'))!;
  }
  return { core, redeemed, seq, nextVerdict };
}

/**
 * Types `text` then Enter as a keyboard-wedge scanner does: every key sent at
 * once, in order (trusted key events, as from a keyboard), not one round trip
 * a key. Playwright's `keyboard.type` awaits each key, and on a busy shared
 * machine the test process itself then stalls between keys for longer than
 * any scanner ever pauses.
 */
export async function scannerTypes(page: Page, text: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const vk = (ch: string) => (ch === ' ' ? 32 : ch === '\r' ? 13 : /[A-Z0-9]/.test(ch) ? ch.charCodeAt(0) : 0);
  const sends: Promise<unknown>[] = [];
  for (const ch of [...text, '\r']) {
    const key = ch === '\r' ? 'Enter' : ch;
    const code = ch === '\r' ? 'Enter' : ch === ' ' ? 'Space' : '';
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk(ch) }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: vk(ch) }));
  }
  await Promise.all(sends);
  await cdp.detach();
}

/** Writes `wire` as a 9600 baud 8N1 line delivers it: 960 bytes a second, 48 every 50 ms. */
export async function writePaced(pair: PtyPair, wire: Buffer): Promise<void> {
  for (let i = 0; i < wire.length; i += 48) {
    pair.write(wire.subarray(i, i + 48));
    await new Promise((r) => setTimeout(r, 50));
  }
}

const W = 1280;
const H = 720;
const FPS = 10;

/**
 * The fake camera's video (a y4m for Chromium): `light` as a QR in alphanumeric
 * mode at level M, a pause, `dark` the same way but white on black (a phone in
 * dark mode), a pause; Chromium loops it, every 5 seconds.
 */
export async function lightAndDarkVideo(dir: string, light: string, dark: string): Promise<string> {
  const empty = yuvFrame(composeFrame(join(dir, 'empty.png'), { width: W, height: H, seed: 7, blur: 0.6 }), W, H);
  const lightPng = await renderCode('qrcode-alnum', light, join(dir, 'light.png'));
  const darkPng = invertPng(await renderCode('qrcode-alnum', dark, join(dir, 'dark-src.png')), join(dir, 'dark.png'));
  const frames = [lightPng, darkPng].flatMap((code, i) => [
    { yuv: yuvFrame(composeFrame(join(dir, `frame-${i}.png`), { width: W, height: H, code, angle: 6, blur: 0.6, seed: 3 + i, fill: 0.7 }), W, H), repeat: 2 * FPS },
    { yuv: empty, repeat: FPS / 2 },
  ]);
  const file = join(dir, 'gbv2.y4m');
  writeY4m(file, W, H, FPS, frames);
  return file;
}
