/**
 * Serial scanners with real parts: a socat pseudo-terminal pair, a real core
 * process that opens the app end with the real serialport binding, and a small
 * consumer that does what the page does with `scanner.code` (voucher.redeem).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, RedeemResult, ScannerState, ScannersStatus, PortList } from '../../preload/contract';
import { startCoreChild, type CoreChild } from '../../main/host/core-child';
import { listDevSerial } from '../../main/core/scanners/ports';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { tempDir } from '../support/workstation';
import { socatMissing, startPair, type PtyPair } from './socat';

const missing = socatMissing();
if (missing) console.log(`Serial scanner tests skipped: ${missing}`);

let tmp: { dir: string; cleanup(): void };
let issuer: TestIssuer;
let core: CoreChild;
let pair: PtyPair;
let scannerLink: string;
let appLink: string;
const states: ScannerState[] = [];
/** Verdicts of the redemptions the consumer made, by voucher text. */
const verdicts = new Map<string, string[]>();
let codes = 0;
let consumer: Promise<void> = Promise.resolve();

async function call<T>(name: string, input: unknown): Promise<T> {
  const o = await core.connection.call(name, input);
  if (!o.ok) throw new Error(`${name}: ${o.error.code} ${o.error.message}`);
  return o.value as T;
}

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const lastState = () => states.at(-1);
async function configure(serial: Record<string, unknown>): Promise<void> {
  const from = states.length;
  await call<ScannersStatus>('scanners.configure', { serial });
  await until('connected', () => states.slice(from).some((s) => s.state === 'connected') && lastState()?.state === 'connected');
}

const mint = async (n: number) => Promise.all(Array.from({ length: n }, () => issuer.mint('item', { qty: 1 }).then((v) => v.text)));
const settle = async (n: number) => {
  await until(`${n} codes`, () => codes >= n);
  await consumer;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  if (missing) return;
  tmp = tempDir('vd-serial-');
  scannerLink = join(tmp.dir, 'ttyScanner');
  appLink = join(tmp.dir, 'ttyApp');
  issuer = await makeTestIssuer();
  pair = await startPair(scannerLink, appLink);
  core = await startCoreChild({ dataDir: join(tmp.dir, 'data'), capture: true });
  core.connection.onEvent((name: EventName, payload: unknown) => {
    if (name === 'scanner.state') states.push(payload as ScannerState);
    if (name !== 'scanner.code') return;
    // What the renderer does with a scan: the same voucher.redeem as a typed code.
    const { text } = payload as { source: 'serial'; text: string };
    codes++;
    consumer = consumer.then(async () => {
      const o = await core.connection.call('voucher.redeem', { text });
      const v = o.ok ? (o.value as RedeemResult).verdict : `error:${o.error.code}`;
      verdicts.set(text, [...(verdicts.get(text) ?? []), v]);
    });
  });
  const { token } = await call<{ token: string }>('admin.setup', { passphrase: 'owner passphrase 1' });
  await call('keystore.import', { adminToken: token, fileName: 'bundle.json', content: issuer.bundleJson });
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await pair?.kill();
  tmp?.cleanup();
});

describe.skipIf(!!missing)('a serial scanner on a socat pty pair (real core process, real binding)', () => {
  it('is off until enabled; a missing device is "waiting" with the reason notFound', async () => {
    const s = await call<ScannersStatus>('scanners.status', {});
    expect(s.serial.state).toBe('off');
    expect(s.config.serial.baudRate).toBe(9600);
    const from = states.length;
    await call('scanners.configure', { serial: { enabled: true, path: join(tmp.dir, 'no-such-tty') } });
    const w = await until('waiting', () => states.slice(from).find((x) => x.state === 'waiting'));
    expect(w.reason).toBe('notFound');
  });

  it('bad settings are refused and change nothing', async () => {
    const o = await core.connection.call('scanners.configure', { serial: { baudRate: 12345 } });
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error.code).toBe('api.badInput');
    expect((await call<ScannersStatus>('scanners.status', {})).config.serial.baudRate).toBe(9600);
  });

  it('CR, LF, CRLF and idle framing; split writes, two codes in one write, noise between: each voucher redeemed once', async () => {
    const all: string[] = [];
    let noise = 0;
    const writeNoise = () => {
      const bytes = [0x00, 0xff, 0x1b, 0x80, 0x07, 0xfe, 0x9c, 0x01];
      pair.write(Buffer.from(bytes));
      noise += bytes.length;
    };
    for (const [frameEnd, end] of [
      ['CR', '\r'],
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['idle', ''],
    ] as const) {
      await configure({ enabled: true, path: appLink, frameEnd, idleMs: 60 });
      const ignoredAtStart = lastState()?.ignoredBytes ?? 0;
      const [a, b, c, d] = await mint(4);
      const gap = async () => (frameEnd === 'idle' ? sleep(250) : undefined);
      // One code split over three writes (the reader sees partial reads).
      pair.write(a!.slice(0, 100));
      await sleep(15);
      pair.write(a!.slice(100, 400));
      await sleep(15);
      pair.write(a!.slice(400) + end);
      await gap();
      writeNoise();
      await gap();
      if (frameEnd === 'idle') {
        pair.write(b! + end);
        await gap();
        pair.write(`]Q1${c!}`); // an AIM symbology identifier in front
        await gap();
      } else {
        pair.write(b! + end + `]Q1${c!}` + end); // two codes in one write
      }
      writeNoise();
      await gap();
      pair.write(d! + end);
      await gap();
      all.push(a!, b!, c!, d!);
      await settle(all.length);
      expect(await until('noise counted', () => (lastState()!.ignoredBytes ?? 0) - ignoredAtStart >= 16 && lastState()), `${frameEnd}`).toBeTruthy();
    }
    expect(codes).toBe(all.length);
    for (const text of all) expect(verdicts.get(text), 'redeemed exactly once').toEqual(['VALID']);
    expect(noise).toBe(64);
    const st = await call<ScannersStatus>('scanners.status', {});
    expect(st.serial.ignoredBytes).toBeGreaterThanOrEqual(64);
    expect(st.serial.lastCode).toMatchObject({ kind: 'voucher', length: all.at(-1)!.length });
    // The core never logs a code.
    const log = core.output();
    for (const text of all) expect(log).not.toContain(text.slice(5, 60));
  }, 60_000);

  it('unplugged (socat killed) it waits; plugged back at the same path it reconnects and reads again', async () => {
    await configure({ frameEnd: 'CR' });
    const from = states.length;
    await pair.kill();
    // The core hears the hang-up from the port; on a busy machine that can take a while.
    const down = await until('waiting after unplug', () => states.slice(from).find((s) => s.state === 'waiting' || s.state === 'error'), 20_000);
    expect(['disconnected', 'notFound']).toContain(down.reason);
    await sleep(300);
    pair = await startPair(scannerLink, appLink);
    await until('connected again', () => states.slice(from).some((s) => s.state === 'connected') && lastState()?.state === 'connected', 15_000);
    const [v] = await mint(1);
    const before = codes;
    pair.write(v! + '\r');
    await settle(before + 1);
    expect(verdicts.get(v!)).toEqual(['VALID']);
  }, 45_000);

  it('lists the serial devices under /dev when udevadm is not on PATH, and says so', async () => {
    const noUdev = join(tmp.dir, 'empty-bin');
    mkdirSync(noUdev);
    const other = await startCoreChild({ dataDir: join(tmp.dir, 'data2'), env: { PATH: noUdev }, capture: true });
    try {
      const o = await other.connection.call('scanners.listPorts', {});
      expect(o.ok).toBe(true);
      const list = (o as { value: PortList }).value;
      expect(list.fallback).toBe(true);
      expect(list.ports).toEqual(listDevSerial());
    } finally {
      await other.stop();
    }
  }, 30_000);

  it('a port it may not open gives permissionDenied (the dialout fix on screen)', async () => {
    // Root opens anything: the check runs as "nobody" then, on a pty made unreadable.
    const dev = realpathSync(appLink);
    chmodSync(dev, 0o000);
    const asRoot = process.getuid?.() === 0;
    const script = resolve(__dirname, 'open-once.ts');
    const out = await new Promise<string>((res, rej) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, dev], {
        cwd: resolve(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : {}),
      });
      let s = '';
      child.stdout.on('data', (d: Buffer) => (s += d));
      child.stderr.on('data', (d: Buffer) => (s += d));
      child.on('exit', () => res(s));
      child.on('error', rej);
    });
    chmodSync(dev, 0o620);
    expect(out).toContain('"reason":"permissionDenied"');
    expect(out).toContain('"state":"error"');
  }, 30_000);
});
