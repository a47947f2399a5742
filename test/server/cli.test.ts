/**
 * `npm run server -- …` as a real process on SQLite: init, merchant, branch,
 * device (sealed bundle with the token), mint (text + PNG), serve (a real
 * upload over HTTP), revoke, rotate-key, import (receipt file), clear errors.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON printed by the CLI, checked by value */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../server/issuer/bundle';
import { writeBatch } from '../../server/batch';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = join(REPO, 'server', 'index.ts');
const dir = mkdtempSync(join(tmpdir(), 'vd-server-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function server(...args: string[]): { code: number; out: string; err: string; json: any } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SERVER, '--data-dir', dir, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  const out = r.stdout ?? '';
  let json: unknown = null;
  try {
    json = JSON.parse(out.trim().split('\n').pop() ?? '');
  } catch {
    // not JSON
  }
  return { code: r.status ?? -1, out, err: r.stderr ?? '', json };
}

describe('npm run server -- <command>', () => {
  it('sets up a platform, merchant, branch and device, mints, serves, imports a batch and writes the receipt', async () => {
    const unknown = server('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"/);
    expect(existsSync(join(dir, 'server.sqlite'))).toBe(false);
    expect(server('init', '--iss', 'gb.cli', '--name', 'CLI GB').json).toMatchObject({ iss: 'gb.cli', alg: 'EdDSA' });
    expect(server('merchant', 'create', '--id', 'M7', '--name', 'Tea', '--share', '85.5', '--utc-offset', '+08:00').json).toMatchObject({
      id: 'M7',
      sharePercent: 85.5,
      utcOffsetMinutes: 480,
    });
    expect(server('branch', 'create', '--mid', 'M7', '--id', 'B01', '--name', 'Nanshan').code).toBe(0);

    const port = 20000 + Math.floor(Math.random() * 20000);
    const dev = server('device', 'create', '--mid', 'M7', '--branch', 'B01', '--id', 'B01-POS1', '--url', `http://127.0.0.1:${port}`, '--passphrase', 'open sesame', '--p2c', '1000');
    expect(dev.code).toBe(0);
    const bundle = await openBundle(readFileSync(dev.json.files.bundle, 'utf8'), 'open sesame');
    expect(bundle.server).toEqual({ url: `http://127.0.0.1:${port}`, deviceId: 'B01-POS1', token: dev.json.token });
    expect(readFileSync(join(dir, 'server.sqlite')).includes(Buffer.from(dev.json.token))).toBe(false);

    const png = join(dir, 'v.png');
    const minted = server('mint', '--mid', 'M7', '--jti', 'CLI-1', '--qty', '2', '--price', '1500', '--png', png);
    expect(minted.code).toBe(0);
    expect(minted.out.trim()).toMatch(/^GBV2:[0-9A-Z $%*+\-./:]+$/);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const gbv1 = server('mint', '--mid', 'M7', '--jti', 'CLI-2', '--format', 'gbv1');
    expect(gbv1.code).toBe(0);
    expect(gbv1.out.trim()).toMatch(/^GBV1:[A-Za-z0-9_.-]+$/);
    expect(server('revoke', 'gb.cli', 'CLI-2', '--reason', 'refunded').json).toMatchObject({ revoked: { iss: 'gb.cli', jti: 'CLI-2' } });
    expect(server('campaign', 'set', '--id', 'CNY', '--mid', 'M7', '--stock', '10', '--mode', 'strict', '--hours', '10:00-22:00').code).toBe(0);
    expect(server('rotate-key', '--kid', 'cli-2').json).toMatchObject({ kid: 'cli-2' });
    // The redemptions are dated after the mint (the server refuses one from before its voucher was issued),
    // one second apart, inside one day of M7's +08:00 for the settlement below.
    const localDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    let base = Date.now() + 1000;
    if (localDay(base) !== localDay(base + 3000)) base += 3000;
    const at = (s: number) => new Date(base + s * 1000).toISOString();

    // serve: a real upload with the bundle's token.
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER, 'serve', '--data-dir', dir, '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('"listening"')) resolve();
        });
        child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
      });
      const res = await fetch(`${bundle.server!.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bundle.server!.token}`, 'x-device-id': 'B01-POS1', 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ id: '01JDCLI0000000000000000001', type: 'redemption', iss: 'gb.cli', jti: 'CLI-1', at: at(0), units: 1 }] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).results).toEqual([{ id: '01JDCLI0000000000000000001', status: 'stored' }]);
      const changes = (await (await fetch(`${bundle.server!.url}/v1/changes`, { headers: { authorization: `Bearer ${bundle.server!.token}`, 'x-device-id': 'B01-POS1' } })).json()) as any;
      expect(changes.changes.map((c: any) => c.type)).toEqual(['issuer-key', 'revocation', 'campaign', 'issuer-key', 'issuer-key']);
      expect(changes.changes[2]).toMatchObject({ id: 'CNY', stock: 10, mode: 'strict' });
    } finally {
      child.kill('SIGTERM');
    }

    // import: a signed batch, twice; the receipt file is written next to it.
    const events = [
      { id: '01JDCLI0000000000000000002', type: 'redemption', iss: 'gb.cli', jti: 'CLI-1', at: at(1), units: 1 },
      { id: '01JDCLI0000000000000000003', type: 'redemption', iss: 'gb.cli', jti: 'CLI-1', at: at(2), units: 1 },
    ];
    const file = join(dir, 'events.gbe');
    writeFileSync(file, await writeBatch({ mid: 'M7', device: 'B01-POS1', events, signingKey: bundle.signingKeys![0]! }));
    const imp = server('import', file);
    expect(imp.code).toBe(0);
    expect(imp.json.counts).toEqual({ stored: 1, duplicate: 0, conflict: 1, rejected: 0 });
    const receipt = JSON.parse(readFileSync(`${file}.receipt.json`, 'utf8'));
    expect(receipt.results.map((r: any) => r.status)).toEqual(['stored', 'conflict']);
    expect(server('import', file, '--receipt', join(dir, 'r2.json')).json.counts).toEqual({ stored: 0, duplicate: 2, conflict: 0, rejected: 0 });
    const edited = join(dir, 'edited.gbe');
    const [h, p, s] = readFileSync(file, 'utf8').trim().split('.');
    writeFileSync(edited, `${h}.${Buffer.from(Buffer.from(p!, 'base64url').toString().replace(at(2), at(2.5))).toString('base64url')}.${s}`);
    const bad = server('import', edited);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/signature does not verify/);
    expect(existsSync(`${edited}.receipt.json`)).toBe(false);
    expect(server('settlement', '--mid', 'M7', '--day', localDay(base)).json).toMatchObject({ redemptions: 2, units: 2, gross: 3000, share: 2565, conflicts: 1 });
  }, 180_000); // a dozen real CLI processes, each starting tsx: about 35 s alone, over 60 s beside the rest of the suite on 2 cores
});
