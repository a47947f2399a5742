import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupStatus, BackupSummary, RedeemResult } from '../../preload/contract';
import { restoreInto } from '../../main/core/backup/restore';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, openWorkstation, tempDir } from '../support/workstation';

const PASS = 'backup passphrase 1';
let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;
let usedText: string;
let partText: string;
const out = tempDir('vd-backups-');
const cleanups: (() => void)[] = [];

const rows = (c: Core, sql: string) => c.db.prepare(sql).all();

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  await callOk(core, 'settings.set', { adminToken: ws.token, cashier: 'amy', locale: 'zh-CN' });
  await callOk(core, 'crm.memberAdd', { name: 'Li Wei', phone: '13800138000' });
  usedText = (await issuer.mint('item', { qty: 1 })).text;
  partText = (await issuer.mint('item', { qty: 3 })).text;
  expect((await callOk<RedeemResult>(core, 'voucher.redeem', { text: usedText })).verdict).toBe('VALID');
  expect((await callOk<RedeemResult>(core, 'voucher.redeem', { text: partText, units: 1 })).verdict).toBe('VALID');
});
afterAll(() => {
  ws.cleanup();
  out.cleanup();
  for (const c of cleanups) c();
});

async function backupNow(): Promise<{ file: string; summary: BackupSummary }> {
  return callOk(core, 'backup.create', { adminToken: ws.token, path: out.dir, passphrase: PASS });
}

describe('whole-workstation backup', () => {
  it('round trip: restored onto a fresh data dir, the same events, settings, keys (sealed), CRM and start prefs; a used voucher stays used', async () => {
    const { file, summary } = await backupNow();
    expect(file.startsWith(out.dir) && file.endsWith('.vdbackup')).toBe(true);
    expect(summary).toMatchObject({ device: 'TEST-POS', merchant: { id: 'M-TEST' }, events: 2 });
    // The file says nothing in the clear but its header.
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('Li Wei'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);

    const verified = await callOk<BackupSummary>(core, 'backup.verify', { adminToken: ws.token, path: file, passphrase: PASS });
    expect(verified).toEqual(summary);

    const fresh = tempDir('vd-restored-');
    cleanups.push(fresh.cleanup);
    const r = await restoreInto(fresh.dir, bytes, PASS, { os: null, replace: false, now: Date.now() });
    expect(r.summary).toEqual(summary);
    const restored = await openWorkstation(fresh.dir);
    try {
      for (const sql of [
        'SELECT * FROM events ORDER BY seq',
        'SELECT * FROM keys ORDER BY kid',
        // Written after the copy: the result of the backup itself, and the clock reading at start.
        "SELECT * FROM settings WHERE key NOT IN ('clock.trusted', 'backup.last') ORDER BY key",
        'SELECT * FROM crm_people ORDER BY id',
        'SELECT * FROM sync_outbox ORDER BY seq',
      ]) {
        expect(rows(restored, sql), sql).toEqual(rows(core, sql));
      }
      // The audit log up to the backup; the backup's own line comes after the copy.
      const audit = rows(core, 'SELECT * FROM audit ORDER BY seq');
      expect(rows(restored, 'SELECT * FROM audit ORDER BY seq')).toEqual(audit.slice(0, -1));
      expect(audit.at(-1)).toMatchObject({ action: 'backup' });
      expect(readFileSync(join(fresh.dir, 'window.json'), 'utf8')).toBe(readFileSync(join(ws.dir, 'window.json'), 'utf8'));
      // The private keys come back sealed: the admin passphrase opens them, and the counter redeems.
      await callOk(restored, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
      expect((await callOk<RedeemResult>(restored, 'voucher.redeem', { text: usedText })).verdict).toBe('ALREADY_REDEEMED');
      const more = await callOk<RedeemResult>(restored, 'voucher.redeem', { text: partText, units: 1 });
      expect(more.verdict).toBe('VALID');
      expect(more.remaining?.left).toBe(1);
    } finally {
      restored.close();
    }
  });

  it('a tampered, truncated or foreign file, or a wrong passphrase, is refused in plain words and nothing changes', async () => {
    const { file } = await backupNow();
    const good = readFileSync(file);
    const variant = (name: string, bytes: Buffer) => {
      const p = join(out.dir, name);
      writeFileSync(p, bytes);
      return p;
    };
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100]! ^= 1;
    const header = Buffer.from(good);
    const at = header.indexOf(Buffer.from('"events":'));
    header[at + 9] = header[at + 9] === 0x39 ? 0x38 : header[at + 9]! + 1; // another event count
    const cases: [string, string, string][] = [
      ['wrong passphrase', file, 'backup.wrongPassphrase'],
      ['a flipped byte', variant('flipped.vdbackup', flipped), 'backup.altered'],
      ['a changed header', variant('header.vdbackup', header), 'backup.altered'],
      ['cut short', variant('cut.vdbackup', good.subarray(0, good.length - 5000)), 'backup.altered'],
      ['cut to the header', variant('head.vdbackup', good.subarray(0, 12)), 'backup.unreadable'],
      ['not a backup', variant('other.vdbackup', Buffer.from('hello, world, not a backup at all')), 'backup.unreadable'],
      ['no such file', join(out.dir, 'missing.vdbackup'), 'backup.notFound'],
    ];
    const before = rows(core, 'SELECT * FROM events ORDER BY seq');
    for (const [what, path, code] of cases) {
      const passphrase = what === 'wrong passphrase' ? 'not the passphrase' : PASS;
      for (const call of ['backup.verify', 'backup.restore']) {
        const err = await callErr(core, call, { adminToken: ws.token, path, passphrase });
        expect(err.code, `${what} (${call})`).toBe(code);
        expect(err.message).not.toContain(PASS);
      }
    }
    expect((await callOk<BackupStatus>(core, 'backup.status', {})).staged).toBeNull();
    expect(existsSync(join(ws.dir, 'restore-staged'))).toBe(false);
    expect(rows(core, 'SELECT * FROM events ORDER BY seq')).toEqual(before);
    // The CLI's way refuses the same, and writes nothing into the target folder.
    const target = tempDir('vd-untouched-');
    cleanups.push(target.cleanup);
    await expect(restoreInto(target.dir, flipped, PASS, { os: null, replace: false, now: Date.now() })).rejects.toMatchObject({ code: 'backup.altered' });
    expect(readdirSync(target.dir)).toEqual([]);
  });

  it('is the owner’s: a cashier is refused, and every backup is in the audit log', async () => {
    const cashier = core.admin.issue({ name: 'Bo', role: 'cashier', staffId: 'S1' }).token;
    expect((await callErr(core, 'backup.create', { adminToken: cashier, path: out.dir, passphrase: PASS })).code).toBe('staff.roleRequired');
    expect((await callErr(core, 'backup.create', { path: out.dir, passphrase: PASS })).code).toBe('api.badInput');
    expect((await callErr(core, 'backup.restore', { path: join(out.dir, 'x'), passphrase: PASS })).code).toBe('admin.required');
    const audit = rows(core, "SELECT action, actor, detail FROM audit WHERE action = 'backup'") as { detail: string }[];
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((a) => JSON.parse(a.detail).what)).toContain('create');
    expect(JSON.stringify(audit)).not.toContain(PASS);
  });

  it('restore in the app: verified and staged, swapped in at the next start with the old files kept aside', async () => {
    const { file } = await backupNow();
    const other = await newWorkstation({ keysFile: null });
    cleanups.push(() => other.cleanup());
    const r = await callOk<{ summary: BackupSummary; restartNeeded: boolean }>(other.core, 'backup.restore', { adminToken: other.token, path: file, passphrase: PASS });
    expect(r.restartNeeded).toBe(true);
    expect((await callOk<BackupStatus>(other.core, 'backup.status', {})).staged).toEqual(r.summary);
    expect(rows(other.core, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]); // nothing replaced while it runs
    other.core.close();
    const reopened = await openWorkstation(other.dir);
    try {
      expect(rows(reopened, 'SELECT * FROM events ORDER BY seq')).toEqual(rows(core, 'SELECT * FROM events ORDER BY seq'));
      const aside = readdirSync(other.dir).filter((f) => f.startsWith('voucherdesk-before-restore-'));
      expect(aside).toHaveLength(1);
      expect(readdirSync(join(other.dir, aside[0]!)).sort()).toEqual(expect.arrayContaining(['voucherdesk.db', 'voucherdesk.key']));
      expect(existsSync(join(other.dir, 'restore-staged'))).toBe(false);
    } finally {
      reopened.close();
    }
  });
});
