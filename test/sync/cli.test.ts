/** The sync commands of `npm run cli`: export, receipt, sync, sync --status, conflicts, close-day. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloseDayReport, ConflictView, SyncStatus } from '../../preload/contract';
import { tempDir } from '../support/workstation';
import { ADMIN_PASSPHRASE, makePlatform, ROOT, serverCommand, startServer, type ServerProc } from './support';

function cli(dataDir: string, args: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'cli', 'index.ts'), ...args, '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_BUNDLE_PASSPHRASE: 'bundle passphrase 1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(input ?? '');
  return new Promise((r) => child.once('exit', (code) => r({ code, out, err })));
}

describe('sync from the command line', () => {
  const tmp = tempDir('vd-sync-cli-');
  let server: ServerProc | null = null;
  afterAll(async () => {
    await server?.kill();
    tmp.cleanup();
  });

  it('export FILE, the platform imports it, receipt FILE marks the events; sync, sync --status, conflicts and close-day', async () => {
    const p = await makePlatform(tmp.dir, { vouchers: 2 });
    const ws = join(tmp.dir, 'ws');
    const bundle = join(tmp.dir, 'b01.jwe');
    writeFileSync(bundle, p.bundles.B01!);
    expect((await cli(ws, ['keys', 'import', bundle])).code).toBe(0);
    expect((await cli(ws, ['redeem', '-'], p.vouchers[0]!)).code).toBe(0);

    const file = join(tmp.dir, 'events.jws');
    const ex = await cli(ws, ['export', file, '--json']);
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.out)).toMatchObject({ count: 1, signed: true });
    expect(readFileSync(file, 'utf8').split('.')).toHaveLength(3);
    expect((await serverCommand(p, ['import', file])).code).toBe(0);
    const rc = await cli(ws, ['receipt', `${file}.receipt.json`]);
    expect(rc.out).toContain('Marked 1 event(s)');
    const st = JSON.parse((await cli(ws, ['sync', '--status', '--json'])).out) as SyncStatus;
    expect(st.waiting).toBe(0);
    expect(st.online).toBe(false);

    server = await startServer(p);
    expect((await cli(ws, ['redeem', '-'], p.vouchers[1]!)).code).toBe(0);
    const synced = await cli(ws, ['sync']);
    expect(synced.code).toBe(0);
    expect(synced.out).toContain('State: online');
    expect(synced.out).toContain('Waiting: 0 event(s)');
    expect(JSON.parse((await cli(ws, ['conflicts', '--json'])).out) as ConflictView[]).toEqual([]);
    const day = await cli(ws, ['close-day', '--json']);
    const report = JSON.parse(day.out) as CloseDayReport;
    expect(report.server).toMatchObject({ redemptions: 2, units: 2, conflicts: 0, share: 1700 });
    expect(report.ledger).toMatchObject({ redemptions: 2, units: 2, conflicts: 0 });
    expect(report.differences).toEqual([]);
    expect(day.code).toBe(0);
  }, 120_000);
});
