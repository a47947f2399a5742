/**
 * Changes from the platform: a recorded page applied twice changes nothing
 * the second time, the cursor moves with it; and the real server's revocation,
 * campaign and key rotation reach the workstation over sync.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, KeystoreView, RevocationView, SyncStatus } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { ADMIN_PASSPHRASE, callErr, callOk, tempDir } from '../support/workstation';
import { makePlatform, serverCommand, startServer, type Platform, type ServerProc } from './support';

describe('changes from the platform', () => {
  const tmp = tempDir('vd-sync-apply-');
  let p: Platform;
  let core: Core;
  let server: ServerProc | null = null;

  beforeAll(async () => {
    p = await makePlatform(tmp.dir, { vouchers: 4 });
    const dir = join(tmp.dir, 'a');
    core = await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: createLogger(dir) });
    const { token } = await core.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
    await callOk(core, 'keystore.import', { adminToken: token, fileName: 'a.jwe', content: p.bundles.B01, bundlePassphrase: 'bundle passphrase 1' });
  }, 60_000);

  afterAll(async () => {
    core?.close();
    await server?.kill();
    tmp.cleanup();
  });

  it('the download interval and the online-first timeout are settings an admin changes', async () => {
    expect(core.sync.status()).toMatchObject({ downloadEverySeconds: 60, onlineTimeoutMs: 1500 });
    expect((await callErr(core, 'sync.setOptions', { adminToken: 'nope', downloadEverySeconds: 30 })).code).toBe('admin.required');
    expect((await callErr(core, 'sync.setOptions', { adminToken: core.admin.issue().token, downloadEverySeconds: 1 })).code).toBe('api.badInput');
    const st = await callOk<SyncStatus>(core, 'sync.setOptions', { adminToken: core.admin.issue().token, downloadEverySeconds: 30, onlineTimeoutMs: 800 });
    expect(st).toMatchObject({ downloadEverySeconds: 30, onlineTimeoutMs: 800 });
  });

  it('a recorded page: another branch\'s redemption refuses the voucher here with where and when; applying it twice is harmless', async () => {
    const opened = await core.invoke('voucher.verify', { text: p.vouchers[0]! });
    expect(opened.verdict).toBe('VALID');
    const { iss, jti } = opened.voucher!;
    const at = '2026-11-21T06:02:00.000Z';
    const page = [
      { type: 'redemption', event: { id: '01JDREMOTE000000000000000A', type: 'redemption', iss, jti, mid: 'M1001', branch: 'B02', device: 'B02-POS1', at, units: 1, amount: null, cur: null, cashier: 'bo', member: null, offline: false } },
      { type: 'revocation', iss, jti: 'NOT-HERE', at, reason: 'refunded' },
      { type: 'something-new', x: 1 },
      'garbage',
    ];
    await core.sync.applyChanges(page, 'c-000002');
    await core.sync.applyChanges(page, 'c-000002');
    expect(core.settings.get('sync.cursor')).toBe('c-000002');
    const n = core.db.prepare("SELECT count(*) AS n FROM events WHERE remote = 1").get() as { n: number };
    expect(n.n).toBe(1);
    expect(core.ledger.voucher(iss, jti)).toMatchObject({ used: 1, uses: 1 });
    const r = await core.invoke('voucher.redeem', { text: p.vouchers[0]! });
    expect(r.verdict).toBe('ALREADY_REDEEMED');
    expect(r.last).toMatchObject({ branch: 'B02', device: 'B02-POS1', at: Date.parse(at) });
    // Nothing of a remote event goes up again.
    expect(core.sync.status().waiting).toBe(0);
  });

  it('a revocation, a campaign and a new issuer key from the real server arrive over sync; the key says where it came from', async () => {
    server = await startServer(p);
    core.settings.delete('sync.cursor'); // the recorded page's cursor above is not this server's
    const v = await core.invoke('voucher.verify', { text: p.vouchers[1]! });
    expect((await serverCommand(p, ['revoke', v.voucher!.iss, v.voucher!.jti, '--reason', 'refunded'])).code).toBe(0);
    expect((await serverCommand(p, ['campaign', 'set', '--id', 'CNY-2027', '--mid', 'M1001', '--stock', '200', '--hours', '10:00-22:00'])).code).toBe(0);
    const rotated = await serverCommand(p, ['rotate-key', '--kid', 'gb-2027a']);
    expect(rotated.code).toBe(0);
    await core.sync.syncNow();

    expect((await core.invoke('voucher.verify', { text: p.vouchers[1]! })).verdict).toBe('REVOKED');
    const revs: RevocationView[] = core.catalog.revocations(10);
    expect(revs.some((r) => r.jti === v.voucher!.jti && r.source === 'sync')).toBe(true);
    const campaigns = core.catalog.campaigns() as CampaignView[];
    expect(campaigns.find((c) => c.id === 'CNY-2027')).toMatchObject({ stock: 200, hours: '10:00-22:00' });
    const keys = await callOk<KeystoreView>(core, 'keystore.view', {});
    const added = keys.keys.find((k) => k.kid === 'gb-2027a');
    expect(added?.role).toBe('issuer');
    expect(added?.source).toMatch(/^sync:127\.0\.0\.1:\d+$/);
    // Vouchers minted with the new key verify here.
    const minted = await serverCommand(p, ['mint', '--mid', 'M1001']);
    expect((await core.invoke('voucher.verify', { text: minted.out.trim() })).verdict).toBe('VALID');
    // Retiring the old key over sync: its vouchers are no longer trusted here.
    expect((await core.invoke('voucher.verify', { text: p.vouchers[2]! })).verdict).toBe('VALID');
    expect((await serverCommand(p, ['retire-key', 'gb-2026a'])).code).toBe(0);
    await core.sync.syncNow();
    expect((await callOk<KeystoreView>(core, 'keystore.view', {})).keys.some((k) => k.kid === 'gb-2026a')).toBe(false);
    expect((await core.invoke('voucher.verify', { text: p.vouchers[2]! })).verdict).not.toBe('VALID');
  }, 60_000);
});
