/**
 * A data export that silently loses rows is the worst kind of bug: the CLI's
 * output must arrive whole through a pipe whose reader is slow, however large.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestIssuer } from '../support/issuer';
import { ADMIN_PASSPHRASE, callOk, newWorkstation } from '../support/workstation';

const CLI = resolve(__dirname, '../../main/cli/index.ts');
const REDEMPTIONS = 400;
let ws: Awaited<ReturnType<typeof newWorkstation>>;

beforeAll(async () => {
  const issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  for (let i = 0; i < REDEMPTIONS; i++) await callOk(ws.core, 'voucher.redeem', { text: (await issuer.mint('item', { qty: 1 })).text });
  ws.core.close();
});
afterAll(() => ws.cleanup());

describe('command-line output through a pipe', () => {
  it('history --json arrives whole (well over 64 KiB) when the reader is slow, and the exit status is kept', () => {
    // The reader waits before reading, so the pipe fills up while the CLI is finishing.
    const cmd = `"${process.execPath}" --import tsx "${CLI}" history --json --limit 1000 --data-dir "${join(ws.dir)}" | (sleep 1; cat); exit \${PIPESTATUS[0]}`;
    const r = spawnSync('bash', ['-c', cmd], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE }, // the workstation is encrypted
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    const rows = JSON.parse(r.stdout) as unknown[];
    expect(rows).toHaveLength(REDEMPTIONS);
  });
});
