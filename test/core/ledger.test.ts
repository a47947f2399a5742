import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, type EventRow, type RemoteEvent } from '../../main/core/ledger/ledger';
import type { Core } from '../../main/core/services';
import type { Claims, VoucherTerms } from '../../main/core/vouchers/claims';
import { createLogger } from '../../main/core/log';
import { createCore } from '../../main/core/services';
import { ADMIN_PASSPHRASE, newWorkstation, tempDir } from '../support/workstation';

// The ledger is the one writer of events: local redemptions, events from other
// workstations, reversals (with everything a redemption did), and it tells its
// listeners once each append is committed.

let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;
const at = Date.parse('2026-11-21T09:30:00Z');

beforeEach(async () => {
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
});
afterEach(() => ws.cleanup());

const terms = (jti: string, face = 5): VoucherTerms => ({ iss: 'gb.test', jti, kind: 'item', face, cur: null, maxUses: null });

function redeem(ledger: Ledger, jti: string, take: number, cmp: string | null = null): EventRow {
  return ledger.appendRedemption({ terms: terms(jti), mid: 'M1', sku: null, take, at, device: 'POS-1', branch: 'B1', cashier: 'amy', cmp });
}

const remote = (over: Partial<RemoteEvent> = {}): RemoteEvent => ({
  id: '01REMOTE0000000000000000001',
  type: 'redemption',
  iss: 'gb.test',
  jti: 'R1',
  mid: 'M1',
  branch: 'B2',
  device: 'POS-9',
  cashier: 'bob',
  at,
  units: 2,
  amount: null,
  cur: null,
  member: null,
  offline: true,
  ...over,
});

const count = (sql: string, ...args: unknown[]) => (core.db.prepare(sql).get(...args) as { n: number }).n;

describe('Ledger.appendRemote', () => {
  it('applies an event from another workstation once: the same event again changes nothing', () => {
    const first = core.ledger.appendRemote(remote());
    expect(first).toMatchObject({ id: '01REMOTE0000000000000000001', remote: 1, units: 2, kind: 'item' });
    const voucher = core.ledger.voucher('gb.test', 'R1');
    expect(voucher).toMatchObject({ used: 2, uses: 1 });
    expect(core.ledger.appendRemote(remote())).toBeNull();
    expect(core.ledger.voucher('gb.test', 'R1')).toEqual(voucher);
    expect(count('SELECT count(*) AS n FROM events')).toBe(1);
    // Remote events are not ours to upload.
    expect(count('SELECT count(*) AS n FROM sync_outbox')).toBe(0);

    const rev = remote({ id: '01REMOTE0000000000000000002', type: 'reversal', iss: null, jti: null, reverses: first!.id, reason: 'changed mind', by: 'owner' });
    expect(core.ledger.appendRemote(rev)).toMatchObject({ type: 'reversal', iss: 'gb.test', jti: 'R1', reverses: first!.id });
    expect(core.ledger.appendRemote(rev)).toBeNull();
    expect(core.ledger.voucher('gb.test', 'R1')).toMatchObject({ used: 0, uses: 0 });
  });

  it('ignores a reversal of something unknown here', () => {
    expect(core.ledger.appendRemote(remote({ type: 'reversal', reverses: 'NOPE' }))).toBeNull();
    expect(count('SELECT count(*) AS n FROM events')).toBe(0);
  });
});

describe('Ledger.reverse', () => {
  const claims = { iss: 'gb.test', jti: 'C1', mid: 'M1', sub: 'holder-me', ref: ['holder-friend'] } as unknown as Claims;

  function redeemInCampaign(ledger: Ledger): EventRow {
    core.catalog.setCampaign({ id: 'CNY', name: 'CNY', stock: 10 }, 'test', at);
    return ledger.exclusive(() => {
      const e = redeem(ledger, 'C1', 3, 'CNY');
      core.catalog.useCampaign('CNY', 3, e.id, 0);
      core.points.credit(e.id, claims, at);
      return e;
    });
  }

  it('undoes campaign stock and points with the voucher', () => {
    const e = redeemInCampaign(core.ledger);
    expect(core.catalog.campaign('CNY')!.used).toBe(3);
    expect(core.points.total('holder-me')).toBeGreaterThan(0);
    expect(core.points.total('holder-friend')).toBeGreaterThan(0);

    const r = core.ledger.reverse(e.id, { at: at + 1000, device: 'POS-1', branch: 'B1', by: 'owner', reason: 'mistake' });
    expect(r).toMatchObject({ type: 'reversal', reverses: e.id, cmp: 'CNY' });
    expect(core.catalog.campaign('CNY')!.used).toBe(0);
    expect(core.points.total('holder-me')).toBe(0);
    expect(core.points.total('holder-friend')).toBe(0);
    expect(core.ledger.voucher('gb.test', 'C1')).toMatchObject({ used: 0, uses: 0 });
  });

  it('is one transaction: when taking the points back fails, nothing is undone', () => {
    const e = redeemInCampaign(core.ledger);
    const failing = new Ledger(core.db, {
      catalog: core.catalog,
      points: {
        reverse: () => {
          throw new Error('points unavailable');
        },
      },
    });
    expect(() => failing.reverse(e.id, { at: at + 1000, device: 'POS-1', branch: 'B1', by: 'owner', reason: 'mistake' })).toThrow('points unavailable');
    expect(core.catalog.campaign('CNY')!.used).toBe(3);
    expect(core.ledger.voucher('gb.test', 'C1')).toMatchObject({ used: 3, uses: 1 });
    expect(count("SELECT count(*) AS n FROM events WHERE type = 'reversal'")).toBe(0);
    expect(count('SELECT count(*) AS n FROM sync_outbox')).toBe(1);
  });
});

describe('Ledger.onAppended', () => {
  it('tells once per committed append (local, remote, reversal), never of a rolled-back one', () => {
    const heard: string[] = [];
    const off = core.ledger.onAppended((e) => heard.push(`${e.type}:${e.remote}:${e.id}`));

    const a = redeem(core.ledger, 'L1', 1);
    expect(heard).toEqual([`redemption:0:${a.id}`]);

    // Appended inside a transaction that then fails: rolled back, not told.
    expect(() =>
      core.ledger.exclusive(() => {
        redeem(core.ledger, 'L2', 1);
        throw new Error('refused after all');
      }),
    ).toThrow('refused after all');
    expect(core.ledger.voucher('gb.test', 'L2')).toBeNull();
    expect(heard).toHaveLength(1);

    // Inside a longer transaction: told after it commits, not before.
    core.ledger.exclusive(() => {
      redeem(core.ledger, 'L3', 1);
      expect(heard).toHaveLength(1);
    });
    expect(heard).toHaveLength(2);

    core.ledger.appendRemote(remote());
    core.ledger.appendRemote(remote());
    expect(heard).toHaveLength(3);
    expect(heard[2]).toBe('redemption:1:01REMOTE0000000000000000001');

    const r = core.ledger.reverse(a.id, { at: at + 1, device: 'POS-1', branch: 'B1', by: 'owner', reason: '' });
    expect(heard).toEqual([heard[0], heard[1], heard[2], `reversal:0:${r.id}`]);

    // A refused reversal appends nothing.
    expect(() => core.ledger.reverse(a.id, { at: at + 2, device: 'POS-1', branch: 'B1', by: 'owner', reason: '' })).toThrow();
    expect(heard).toHaveLength(4);
    off();
    redeem(core.ledger, 'L4', 1);
    expect(heard).toHaveLength(4);
  });

  it('the core subscribes once: each local event reaches the page and the sync once, remote ones do not', async () => {
    const { dir, cleanup } = tempDir();
    const emitted: string[] = [];
    const c = await createCore({
      dataDir: dir,
      protector: { mode: 'passphrase' },
      device: 'TEST-POS',
      logger: createLogger(dir),
      emit: (name, payload) => {
        if (name === 'ledger.changed') emitted.push((payload as { eventId: string }).eventId);
      },
    });
    try {
      await c.keystore.setupAdmin(ADMIN_PASSPHRASE);
      const { token } = c.admin.issue();
      const a = redeem(c.ledger, 'P1', 1);
      expect(emitted).toEqual([a.id]);
      expect(c.sync.status().waiting).toBe(1);
      c.ledger.appendRemote(remote());
      expect(emitted).toEqual([a.id]);
      const out = await c.call('ledger.reverse', { adminToken: token, eventId: a.id, reason: 'mistake' });
      expect(out.ok).toBe(true);
      const r = (out as { value: { id: string } }).value;
      expect(emitted).toEqual([a.id, r.id]);
      await c.crm.idle();
    } finally {
      c.close();
      cleanup();
    }
  });
});
