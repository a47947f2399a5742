/**
 * Issue 15, found by the stock proof (stock-proof.test.ts): a strict campaign,
 * a workstation online with nothing held; the server stores its online-first
 * redemption but the answer is lost on the way back. The counter must not end
 * with a voucher the server counts as redeemed and no ledger records: either
 * the redemption is recorded here (the server has it) or the server is told
 * to undo it. After the network is back and everyone synced, the server's live
 * redemptions equal the workstation's own. The same when the workstation is
 * killed (SIGKILL) between the server storing its online-first redemption and
 * the answer arriving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, RedeemResult } from '../../preload/contract';
import { tempDir } from '../support/workstation';
import { killStation, readLedger, readServer, restartStation, startFleet, type Fleet } from '../support/stock-fleet';

const CAMPAIGN = 'OPEN-WEEK';

describe('strict campaign, online-first answer lost', () => {
  const tmp = tempDir('vd-stock-lost-');
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet({ dir: tmp.dir, campaigns: [{ id: CAMPAIGN, mode: 'strict', stock: 50 }], branches: 1, perBranch: 12 });
    await f.branches[0]!.station!.call('sync.now', {});
  }, 120_000);
  afterAll(async () => {
    await f?.stop();
    tmp.cleanup();
  });

  it('the server and the ledger agree on the voucher whatever the counter answered', { timeout: 60_000 }, async () => {
    const b = f.branches[0]!;
    const s = b.station!;
    const held = async () => (await s.call<CampaignView[]>('campaigns.list', {})).find((c) => c.id === CAMPAIGN)!.held;
    // Spend what is held, online (no sync in between: no new share).
    let i = 0;
    const start = await held();
    expect(start).toBeGreaterThan(0);
    while ((await held()) > 0) expect((await s.call<RedeemResult>('voucher.redeem', { text: b.vouchers[i++]!.text })).verdict).toBe('VALID');
    // Online, nothing held: online-first asks the server, which stores it; the answer is lost.
    b.net.set('drop-answers');
    const r = await s.call<RedeemResult>('voucher.redeem', { text: b.vouchers[i++]!.text });
    b.net.set('pass');
    for (let k = 0; k < 3; k++) await s.call('sync.now', {});
    const server = await readServer(f, CAMPAIGN);
    const ledger = await readLedger(b.dir, CAMPAIGN);
    expect({ verdict: r.verdict, server: server.redemptions.length }).toEqual({ verdict: r.verdict, server: ledger.own.length });
    expect(ledger.own).toEqual(server.redemptions);
  });

  it('kill -9 of the workstation after the server stored its online-first redemption, before the answer arrives: after the restart they agree again', { timeout: 60_000 }, async () => {
    const b = f.branches[0]!;
    await b.station!.call('sync.now', {});
    const text = b.vouchers[11]!.text;
    b.net.onDrop = () => b.station?.core.child.kill('SIGKILL');
    b.net.set('drop-answers');
    const lost = await b.station!.core.connection.call('voucher.redeem', { text });
    expect(lost.ok ? 'answered' : lost.error.code).toBe('core.stopped');
    b.net.onDrop = null;
    b.net.set('pass');
    await killStation(b);
    const s = await restartStation(b);
    for (let k = 0; k < 3; k++) await s.call('sync.now', {});
    const server = await readServer(f, CAMPAIGN);
    const ledger = await readLedger(b.dir, CAMPAIGN);
    expect(ledger.own).toEqual(server.redemptions);
    // The customer may try again: the voucher is free, not burnt by the redemption that never reached the counter.
    expect((await s.call<RedeemResult>('voucher.redeem', { text })).verdict).toBe('VALID');
  });
});
