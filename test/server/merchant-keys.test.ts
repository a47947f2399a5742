/**
 * Issue 14, migration 0007: every unique key includes the merchant. Event ids
 * are per merchant (the same id under two merchants is two events); devices
 * are found from their id through `device_merchants`; each merchant numbers
 * its own change feed and platform-wide changes are kept once, numbered above
 * every merchant's counter. On SQLite and on PostgreSQL.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { createDevice, createMerchant, revokeDevice, rotateKey, setCampaign } from '../../server/admin';
import type { ServerDb } from '../../server/db';
import { BACKENDS, nextId, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

describe.each(BACKENDS)('merchant keys on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, Z: Dev;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B, Z } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { upload, redemption, voucher, allChanges } = serverHelpers(() => ({ srv, sdb }));

  it('the same event id under two merchants is two events: both stored, each retried as its own duplicate, each reversed alone', async () => {
    const id = nextId();
    const m1 = redemption(await voucher(), '2026-11-21T09:00:00Z', { id });
    const m2 = redemption(await voucher({ mid: 'M2' }), '2026-11-21T09:01:00Z', { id, mid: 'M2' });
    expect((await upload(A, [m1])).json.results).toEqual([{ id, status: 'stored' }]);
    expect((await upload(Z, [m2])).json.results).toEqual([{ id, status: 'stored' }]);
    expect((await upload(A, [m1])).json.results).toEqual([{ id, status: 'duplicate', was: 'stored' }]);
    expect((await upload(Z, [m2])).json.results).toEqual([{ id, status: 'duplicate', was: 'stored' }]);
    // M1's event under that id is still M1's own; M2 sending M1's event is not a retry of it.
    expect((await upload(A, [{ ...m1, at: '2026-11-21T09:02:00Z' }])).json.results[0]).toMatchObject({ status: 'rejected', reason: 'idReused' });
    const rows = await sdb.db.selectFrom('events').select(['mid', 'id', 'status', 'reversed_by']).where('id', '=', id).orderBy('mid').execute();
    expect(rows).toEqual([
      { mid: 'M1', id, status: 'stored', reversed_by: null },
      { mid: 'M2', id, status: 'stored', reversed_by: null },
    ]);
    // M2 reverses its own event of that id; M1's stays as it was.
    const rev = { id: nextId(), type: 'reversal', reverses: id, at: '2026-11-21T09:03:00Z', mid: 'M2' };
    expect((await upload(Z, [rev])).json.results).toEqual([{ id: rev.id, status: 'stored' }]);
    const after = await sdb.db.selectFrom('events').select(['mid', 'reversed_by']).where('id', '=', id).orderBy('mid').execute();
    expect(after).toEqual([
      { mid: 'M1', reversed_by: null },
      { mid: 'M2', reversed_by: rev.id },
    ]);
    // An id only another merchant has is unknown here.
    const m1only = redemption(await voucher(), '2026-11-21T09:04:00Z');
    await upload(A, [m1only]);
    const r = (await upload(Z, [{ id: nextId(), type: 'reversal', reverses: m1only.id, at: '2026-11-21T09:05:00Z', mid: 'M2' }])).json.results[0];
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/unknown event/);
  });

  it('a device id stays unique across merchants, is found from its id alone, and is revoked by it', async () => {
    await expect(createDevice(sdb, { mid: 'M2', id: A.id, url: srv.url, passphrase: 'pw', p2c: 1000 })).rejects.toThrow(/exists already/);
    const d = await createDevice(sdb, { mid: 'M2', id: 'Z-POS9', url: srv.url, passphrase: 'pw', p2c: 1000 });
    expect((await upload({ id: 'Z-POS9', token: d.token }, [])).status).toBe(200);
    expect((await upload({ id: 'Z-POS9', token: A.token }, [])).status).toBe(401);
    expect(await sdb.db.selectFrom('device_merchants').selectAll().where('id', '=', 'Z-POS9').execute()).toEqual([{ id: 'Z-POS9', mid: 'M2' }]);
    await revokeDevice(sdb, 'Z-POS9');
    expect((await upload({ id: 'Z-POS9', token: d.token }, [])).status).toBe(401);
  });

  it('platform-wide changes reach every merchant, one made later too, in order with its own changes', async () => {
    // M1: an own change, a platform-wide one, another own one: the feed keeps that order.
    const before = (await allChanges(B)).length;
    const first = redemption(await voucher(), '2026-11-21T10:00:00Z');
    await upload(A, [first]);
    await setCampaign(sdb, { id: 'EVERYONE-1', stock: 5 });
    const second = redemption(await voucher(), '2026-11-21T10:01:00Z');
    await upload(A, [second]);
    const seen = (await allChanges(B)).slice(before);
    expect(seen.map((c) => (c.type === 'campaign' ? c.id : c.event.id))).toEqual([first.id, 'EVERYONE-1', second.id]);
    // A merchant made after them reads every platform-wide change first, then its own.
    await rotateKey(sdb, {});
    await createMerchant(sdb, { id: 'M3', name: 'Later', sharePercent: 80 });
    const later = await createDevice(sdb, { mid: 'M3', id: 'M3-POS1', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const l = { id: 'M3-POS1', token: later.token };
    await setCampaign(sdb, { id: 'M3-ONLY', mid: 'M3' });
    const feed = await allChanges(l);
    expect(feed.map((c) => `${c.type}${c.status ? `:${c.status}` : ''}${c.id ? `:${c.id}` : ''}`)).toEqual([
      'issuer-key:active',
      'campaign:EVERYONE-1',
      'issuer-key:rotated',
      'issuer-key:active',
      'campaign:M3-ONLY',
    ]);
    // M1 does not see M3's change, and saw the rotation after its own changes.
    const m1 = (await allChanges(B)).slice(before);
    expect(m1.map((c) => c.type)).toEqual(['redemption', 'campaign', 'redemption', 'issuer-key', 'issuer-key']);
    // Numbers are the merchant's own: a cursor moves on with nothing new, and reads nothing twice.
    const r1 = await (await fetch(`${srv.url}/v1/changes`, { headers: { authorization: `Bearer ${l.token}`, 'x-device-id': l.id } })).json() as any;
    const r2 = await (await fetch(`${srv.url}/v1/changes?since=${r1.cursor}`, { headers: { authorization: `Bearer ${l.token}`, 'x-device-id': l.id } })).json() as any;
    expect(r2).toMatchObject({ cursor: r1.cursor, more: false, changes: [] });
  });

  it('a page boundary falls between a merchant change and a platform-wide change without losing either', async () => {
    const before = (await allChanges(B)).length;
    const evs = [redemption(await voucher(), '2026-11-21T11:00:00Z')];
    await upload(A, evs);
    await setCampaign(sdb, { id: 'EVERYONE-2' });
    await upload(A, [redemption(await voucher(), '2026-11-21T11:01:00Z')]);
    await setCampaign(sdb, { id: 'EVERYONE-3' });
    const one = await allChanges(B, 1);
    const all = await allChanges(B, 500);
    expect(one).toEqual(all);
    expect(all.slice(before).map((c) => c.type)).toEqual(['redemption', 'campaign', 'redemption', 'campaign']);
  });
});
