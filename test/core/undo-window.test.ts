import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;
let manager: string;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  manager = core.admin.issue({ name: 'Mia', role: 'manager', staffId: 'S2' }).token;
});
afterAll(() => ws.cleanup());

const MIN = 60;
/** A redemption made at `t0` (seconds, the core's trusted clock). */
async function redeemedAt(t0: number): Promise<string> {
  const { text } = await issuer.mint('item', { qty: 1 });
  const r = await callOk<RedeemResult>(core, 'voucher.redeem', { text, now: t0 });
  return r.event!.id;
}

describe('undo within a window, with a reason', () => {
  it('lets a manager undo within the window; after it only the owner', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const inside = await redeemedAt(t0);
    const rev = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: manager, eventId: inside, reasonCode: 'scannedTwice', now: t0 + 59 * MIN });
    expect(rev).toMatchObject({ type: 'reversal', reverses: inside, reason: 'scannedTwice' });

    const late = await redeemedAt(t0);
    const refused = await callErr(core, 'ledger.reverse', { adminToken: manager, eventId: late, reasonCode: 'changedMind', now: t0 + 60 * MIN });
    expect(refused).toMatchObject({ code: 'staff.roleRequired', params: { role: 'owner' } });
    expect(core.ledger.isReversed(late)).toBe(false);
    const byOwner = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId: late, reasonCode: 'changedMind', reason: 'refund at the till', now: t0 + 300 * MIN });
    expect(byOwner.reason).toBe('changedMind: refund at the till');
  });

  it('follows the owner-set window (settings), which a manager cannot change', async () => {
    expect((await callErr(core, 'settings.set', { adminToken: manager, undoWindowMinutes: 5 })).code).toBe('staff.roleRequired');
    expect((await callOk<{ undoWindowMinutes: number }>(core, 'settings.set', { adminToken: ws.token, undoWindowMinutes: 10 })).undoWindowMinutes).toBe(10);
    try {
      const t0 = Math.floor(Date.now() / 1000);
      const id = await redeemedAt(t0);
      expect((await callErr(core, 'ledger.reverse', { adminToken: manager, eventId: id, reasonCode: 'wrongVoucher', now: t0 + 11 * MIN })).code).toBe('staff.roleRequired');
      await callOk(core, 'ledger.reverse', { adminToken: manager, eventId: id, reasonCode: 'wrongVoucher', now: t0 + 9 * MIN });
      expect(core.audit.list({ limit: 5 }).find((e) => e.action === 'settings')).toMatchObject({ actor: 'owner', detail: { keys: 'undo.windowMinutes', 'undo.windowMinutes': 10 } });
    } finally {
      await callOk(core, 'settings.set', { adminToken: ws.token, undoWindowMinutes: 60 });
    }
  });

  it('needs a reason: a code, and words with "other" or without a code', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const id = await redeemedAt(t0);
    for (const input of [{}, { reasonCode: 'other' }, { reasonCode: 'other', reason: '   ' }, { reason: '' }]) {
      expect((await callErr(core, 'ledger.reverse', { adminToken: manager, eventId: id, now: t0 + 60, ...input })).code).toBe('ledger.reasonRequired');
    }
    expect((await callErr(core, 'ledger.reverse', { adminToken: manager, eventId: id, reasonCode: 'forgot' })).code).toBe('api.badInput');
    expect(core.ledger.isReversed(id)).toBe(false);
    const rev = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: manager, eventId: id, reasonCode: 'other', reason: 'test scan', now: t0 + 60 });
    expect(rev.reason).toBe('other: test scan');
    // The reason travels in the reversal event's `reason` (the sync outbox body).
    const body = core.db.prepare('SELECT body FROM sync_outbox WHERE id = ?').get(rev.id) as { body: string };
    expect(JSON.parse(body.body)).toMatchObject({ type: 'reversal', reverses: id, reason: 'other: test scan' });
  });

  it('shows until when a manager may undo each redemption still standing', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const id = await redeemedAt(t0);
    const history = await callOk<HistoryEntry[]>(core, 'ledger.history', { limit: 50 });
    const entry = history.find((h) => h.id === id)!;
    expect(entry.undoUntil).toBe(t0 * 1000 + 60 * 60_000);
    expect(Math.round((entry.undoUntil! - t0 * 1000) / 60_000)).toBe(60);
    for (const h of history.filter((h) => h.type === 'reversal' || h.reversedBy)) expect(h.undoUntil).toBeUndefined();
  });

  it('records each undo in the audit log with the reason code, and the approver for someone else at the counter', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const mine = await redeemedAt(t0);
    const rev = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: manager, eventId: mine, reasonCode: 'wrongProduct', now: t0 + 1 });
    expect(core.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'undo', actor: 'Mia', role: 'manager', approver: null, detail: { event: rev.id, reverses: mine, reason: 'wrongProduct', late: false } });

    await callOk(core, 'settings.set', { adminToken: ws.token, cashier: 'Amy' });
    const amys = await redeemedAt(t0);
    const late = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId: amys, reasonCode: 'changedMind', now: t0 + 2 * 60 * MIN });
    expect(late.cashier).toBe('Amy');
    expect(core.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'undo', actor: 'Amy', approver: 'owner', detail: { event: late.id, reason: 'changedMind', late: true } });
    await callOk(core, 'settings.set', { adminToken: ws.token, cashier: '' });
  });
});
