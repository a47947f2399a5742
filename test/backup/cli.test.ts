import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSPHRASE, openDbFile, tempDir, VECTOR_KEYS_FILE, VECTORS } from '../support/workstation';

const CLI = resolve(__dirname, '../../main/cli/index.ts');
const PASS = 'usb stick passphrase';
let tmp: ReturnType<typeof tempDir>;

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_BACKUP_PASSPHRASE: PASS, ...env },
    input: '',
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  tmp = tempDir('vd-backup-cli-');
});
afterAll(() => tmp.cleanup());

const events = async (dir: string) => {
  const db = await openDbFile(dir, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY seq').all();
  } finally {
    db.close();
  }
};

describe('voucherdesk backup', () => {
  it('create, verify and restore onto a replaced PC’s empty data folder; a used voucher stays used', async () => {
    const old = join(tmp.dir, 'old');
    expect(cli(['keys', 'import', VECTOR_KEYS_FILE, '--data-dir', old]).code).toBe(0);
    const valid = VECTORS.vectors.find((v) => v.expect === 'VALID' && !v.pin)!;
    expect(cli(['redeem', '--now', String(VECTORS.now), valid.text, '--data-dir', old]).code).toBe(0);
    const stick = join(tmp.dir, 'stick');
    mkdirSync(stick);
    const made = cli(['backup', 'create', stick, '--data-dir', old, '--json']);
    expect(made.code, made.err).toBe(0);
    const file = JSON.parse(made.out).file as string;
    expect(readdirSync(stick)).toEqual([file.split('/').pop()]);

    const verified = cli(['backup', 'verify', file]);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toMatch(/intact[\s\S]*Merchant: .*M-pub-1001[\s\S]*Events: 1/);
    const wrong = cli(['backup', 'verify', file], { VOUCHERDESK_BACKUP_PASSPHRASE: 'wrong passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/Wrong backup passphrase/);
    const cut = join(tmp.dir, 'cut.vdbackup');
    writeFileSync(cut, readFileSync(file).subarray(0, 3000));
    expect(cli(['backup', 'verify', cut]).err).toMatch(/changed or damaged|not a VoucherDesk backup/);

    const fresh = join(tmp.dir, 'new-pc');
    const restored = cli(['backup', 'restore', file, '--data-dir', fresh]);
    expect(restored.code, restored.err).toBe(0);
    expect(await events(fresh)).toEqual(await events(old));
    const again = cli(['redeem', '--now', String(VECTORS.now), valid.text, '--data-dir', fresh, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out).verdict).toBe('ALREADY_REDEEMED');

    // A folder that holds a workstation is replaced only when asked, and kept aside.
    const refused = cli(['backup', 'restore', file, '--data-dir', fresh]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--replace/);
    const replaced = cli(['backup', 'restore', file, '--data-dir', fresh, '--replace']);
    expect(replaced.code, replaced.err).toBe(0);
    expect(replaced.out).toMatch(/kept in .*voucherdesk-before-restore-/);
    // Nine CLI processes, each starting Node and tsx, and three slow key derivations: slow on a busy 2-core machine.
  }, 180_000);
});
