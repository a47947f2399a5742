/**
 * The reference server's downloads and books, on SQLite and PostgreSQL:
 * changes paging, settlement sums and share rounding, busy answers with
 * Retry-After, devices racing for one unit, and batch files (import twice,
 * tampered, unsigned, receipt).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactDecrypt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { openBundle } from '../../server/issuer/bundle';
import { startServer, type RunningServer } from '../../server/app';
import { createDevice, createMerchant, mint, revoke, rotateKey, setCampaign } from '../../server/admin';
import { BatchRefused, importBatch, writeBatch } from '../../server/batch';
import type { ServerDb } from '../../server/db';
import { shareOf } from '../../server/settlement';
import { issuedBeforeTestDates } from '../support/issue-time';
import { BACKENDS, nextId, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

describe.each(BACKENDS)('reference server on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, Z: Dev;
  let sigKey: JWK;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B, Z, sigKey } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { call, upload, redemption, voucher, allChanges } = serverHelpers(() => ({ srv, sdb }));

  it('changes: other devices only, revocations, issuer keys, campaigns, paged with more and an increasing cursor', async () => {
    const jti = await voucher();
    const ev = redemption(jti, '2026-11-21T13:00:00Z');
    await upload(A, [ev]);
    await revoke(sdb, 'gb.test', jti, 'refunded');
    await setCampaign(sdb, { id: 'CNY-2027', mid: 'M1', stock: 200, from: '2027-01-20', to: '2027-02-10', hours: '10:00-22:00' });
    const rotated = await rotateKey(sdb, { kid: `k-${backend}-2` });

    const a = await allChanges(A);
    const b = await allChanges(B);
    const z = await allChanges(Z);
    expect(a.some((c) => c.type === 'redemption' && c.event.id === ev.id)).toBe(false);
    expect(b.find((c) => c.type === 'redemption' && c.event.id === ev.id).event).toMatchObject({ id: ev.id, jti, mid: 'M1', branch: 'B01', device: A.id, cashier: 'amy' });
    for (const list of [a, b]) {
      expect(list).toContainEqual({ type: 'revocation', iss: 'gb.test', jti, at: expect.any(String), reason: 'refunded' });
      expect(list).toContainEqual({ type: 'campaign', id: 'CNY-2027', stock: 200, from: '2027-01-20', to: '2027-02-10', hours: '10:00-22:00' });
    }
    const keys = z.filter((c) => c.type === 'issuer-key');
    expect(keys.map((k) => k.status)).toEqual(['active', 'rotated', 'active']);
    expect(keys[2].key.kid).toBe(rotated.kid);
    expect(keys[1].key.kid).toBe(rotated.previous);
    expect(keys.every((k) => k.key.d === undefined && k.iss === 'gb.test')).toBe(true);
    // Another merchant sees none of M1's events, revocations or campaigns.
    expect(z.some((c) => ['redemption', 'reversal', 'conflict', 'revocation', 'campaign'].includes(c.type))).toBe(false);

    // Paging: small pages give the same list, `more` until the end, cursors increase.
    const pages: any[] = [];
    let since = '';
    let lastCursor = '';
    for (;;) {
      const r = await call(B, 'GET', `/v1/changes?limit=3${since ? `&since=${since}` : ''}`);
      expect(r.json.changes.length).toBeLessThanOrEqual(3);
      expect(typeof r.json.serverTime).toBe('string');
      if (r.json.more) expect(r.json.changes).toHaveLength(3);
      expect(r.json.cursor >= lastCursor).toBe(true);
      if (r.json.changes.length > 0) expect(r.json.cursor > lastCursor).toBe(true);
      pages.push(...r.json.changes);
      lastCursor = since = r.json.cursor;
      if (!r.json.more) break;
    }
    expect(pages).toEqual(b);
    const end = await call(B, 'GET', `/v1/changes?since=${since}`);
    expect(end.json).toMatchObject({ cursor: since, more: false, changes: [] });
    // B's own uploads never come back to it, but its cursor moves past them.
    await upload(B, [redemption(await voucher(), '2026-11-21T13:30:00Z'), redemption(await voucher(), '2026-11-21T13:31:00Z')]);
    const past = await call(B, 'GET', `/v1/changes?since=${since}`);
    expect(past.json.changes).toEqual([]);
    expect(past.json.cursor > since).toBe(true);
    expect((await call(B, 'GET', `/v1/changes?since=${past.json.cursor}`)).json).toMatchObject({ cursor: past.json.cursor, changes: [] });
    expect((await allChanges(A)).filter((c) => c.type === 'redemption' && c.event.at?.startsWith('2026-11-21T13:3'))).toHaveLength(2);
    // Vouchers minted after the rotation are signed with the new key (read here through GBV1's JOSE headers).
    const m = await mint(sdb, { mid: 'M1', format: 'gbv1' });
    const merchant = await sdb.db.selectFrom('merchants').selectAll().where('id', '=', 'M1').executeTakeFirstOrThrow();
    const { plaintext } = await compactDecrypt(m[0]!.text.slice(5), await importJWK(JSON.parse(merchant.enc_private_jwk) as JWK, 'ECDH-ES'));
    expect(decodeProtectedHeader(new TextDecoder().decode(plaintext)).kid).toBe(rotated.kid);
  });

  it('settlement per day: sums, reversals, conflicts, share rounding and the merchant UTC offset', async () => {
    await createMerchant(sdb, { id: 'M3', name: 'Share', sharePercent: 12.5, utcOffset: '+08:00' });
    const d = await createDevice(sdb, { mid: 'M3', id: 'M3-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const dev = { id: 'M3-POS', token: d.token };
    const item = (await mint(sdb, { ...issuedBeforeTestDates(), mid: 'M3', kind: 'item', qty: 5, unitPrice: 1004 }))[0]!.jti;
    const value = (await mint(sdb, { ...issuedBeforeTestDates(), mid: 'M3', kind: 'value', val: 50_000, cur: 'CNY' }))[0]!.jti;
    const single = (await mint(sdb, { ...issuedBeforeTestDates(), mid: 'M3', kind: 'item', qty: 1, unitPrice: 999 }))[0]!.jti;
    const r = (jti: string, at: string, x: Record<string, unknown> = {}) => redemption(jti, at, { mid: 'M3', ...x });
    // 2026-11-21 in +08:00 runs from 2026-11-20T16:00Z to 2026-11-21T16:00Z.
    const e1 = r(item, '2026-11-20T16:30:00Z', { units: 2 }); // day 21 (00:30 local)
    const e2 = r(value, '2026-11-21T15:59:59.999Z', { units: null, amount: 3333 }); // day 21 (23:59 local)
    const e3 = r(item, '2026-11-21T16:00:00Z', { units: 1 }); // day 22
    const e4 = r(single, '2026-11-21T08:00:00Z'); // day 21
    const e5 = r(single, '2026-11-21T09:00:00Z'); // conflict, day 21
    const rev = { id: nextId(), type: 'reversal', reverses: e1.id, at: '2026-11-21T10:00:00Z' }; // day 21, gives back 2 × 1004
    const up = await upload(dev, [e1, e2, e3, e4, e5, rev]);
    expect(up.json.results.map((x: any) => x.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'conflict', 'stored']);
    const s = (await call(dev, 'GET', '/v1/settlement?day=2026-11-21')).json;
    const gross = 2 * 1004 + 3333 + 999 - 2 * 1004; // 4332
    expect(s).toEqual({
      day: '2026-11-21',
      redemptions: 3,
      reversals: 1,
      units: 2 + 1 - 2,
      gross,
      cur: 'CNY',
      share: 542, // 4332 × 12.5 % = 541.5 → 542 (half away from zero)
      conflicts: 1,
      sharePercent: 12.5,
      from: '2026-11-20T16:00:00.000Z',
      to: '2026-11-21T16:00:00.000Z',
      oversold: [],
      stock: [],
    });
    const next = (await call(dev, 'GET', '/v1/settlement?day=2026-11-22')).json;
    expect(next).toMatchObject({ redemptions: 1, units: 1, gross: 1004, share: 126 }); // 125.5 → 126
    const empty = (await call(dev, 'GET', '/v1/settlement?day=2030-01-01')).json;
    expect(empty).toMatchObject({ redemptions: 0, reversals: 0, units: 0, gross: 0, share: 0, conflicts: 0 });
    expect([shareOf(1566720 / 0.85, 8500), shareOf(1, 5000), shareOf(3, 3333), shareOf(-3, 5000)]).toEqual([1566720, 1, 1, -2]);
  });

  it('answers 503 and 429 with Retry-After when busy (configurable limits)', async () => {
    const busy = await startServer({ sdb, port: 0, maxInFlight: 0, retryAfter: 7 });
    const limited = await startServer({ sdb, port: 0, deviceRate: 1, retryAfter: 3 });
    const busyFile = join(tmp, 'busy');
    const switchable = await startServer({ sdb, port: 0, busyFile });
    try {
      const r = await fetch(`${busy.url}/v1/changes`, { headers: { authorization: `Bearer ${A.token}`, 'x-device-id': A.id } });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.headers.get('date')).toBeTruthy();
      expect(((await r.json()) as any).error).toBe('busy');
      const h = { authorization: `Bearer ${A.token}`, 'x-device-id': A.id };
      expect((await fetch(`${limited.url}/v1/changes`, { headers: h })).status).toBe(200);
      const second = await fetch(`${limited.url}/v1/changes`, { headers: h });
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('3');
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(200);
      writeFileSync(busyFile, '');
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(503);
      rmSync(busyFile);
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(200);
    } finally {
      await Promise.all([busy.close(), limited.close(), switchable.close()]);
    }
  });

  it('eight devices racing for one unit: exactly one stored, the rest conflicts with the same first', async () => {
    const jti = await voucher();
    const devs: Dev[] = [];
    for (let i = 0; i < 8; i++) {
      const d = await createDevice(sdb, { mid: 'M1', id: `RACE-${i}`, url: srv.url, passphrase: 'pw', p2c: 1000 });
      devs.push({ id: `RACE-${i}`, token: d.token });
    }
    const evs = devs.map((d, i) => redemption(jti, `2026-11-21T14:00:0${i}Z`, { device: d.id }));
    const answers = await Promise.all(devs.map((d, i) => upload(d, [evs[i]])));
    const stored = await sdb.db.selectFrom('events').select(['id', 'status']).where('vkey', '=', JSON.stringify(['gb.test', jti])).execute();
    expect(stored.filter((s) => s.status === 'stored')).toEqual([{ id: evs[0]!.id, status: 'stored' }]);
    expect(stored.filter((s) => s.status === 'conflict')).toHaveLength(7);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('batch file: signed import, import twice stores nothing new, receipt, tampered and unsigned files refused', async () => {
    const j1 = await voucher();
    const j2 = await voucher();
    const events = [redemption(j1, '2026-11-21T15:00:00Z'), redemption(j2, '2026-11-21T15:01:00Z'), redemption(j2, '2026-11-21T15:02:00Z'), redemption('GHOST', '2026-11-21T15:03:00Z')];
    const file = await writeBatch({ mid: 'M1', device: A.id, events, signingKey: sigKey });
    const receipt = await importBatch(sdb, file);
    expect(receipt).toMatchObject({ format: 'gb-events-receipt', v: 1, mid: 'M1', device: A.id, counts: { stored: 2, duplicate: 0, conflict: 1, rejected: 1 } });
    expect(receipt.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(receipt.results.map((r) => [r.id, r.status])).toEqual([
      [events[0]!.id, 'stored'],
      [events[1]!.id, 'stored'],
      [events[2]!.id, 'conflict'],
      [events[3]!.id, 'rejected'],
    ]);
    const count = async () => Number((await sdb.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const again = await importBatch(sdb, file);
    expect(again.counts).toEqual({ stored: 0, duplicate: 3, conflict: 0, rejected: 1 });
    expect(await count()).toBe(n);
    // Other devices hear of the imported events like of an upload.
    expect((await allChanges(B)).some((c) => c.type === 'redemption' && c.event.id === events[0]!.id)).toBe(true);

    // Edited: one character of the payload changed, and a line dropped with a fixed header.
    const [h, p, s] = file.trim().split('.');
    const text = Buffer.from(p!, 'base64url').toString().replace('"units":1', '"units":9');
    const tampered = `${h}.${Buffer.from(text).toString('base64url')}.${s}`;
    await expect(importBatch(sdb, tampered)).rejects.toThrow(/signature does not verify/);
    await expect(importBatch(sdb, text)).rejects.toThrow(/must be signed/);
    const otherKey = (await openBundle((await createDevice(sdb, { mid: 'M2', id: 'Z-POS2', url: srv.url, passphrase: 'pw', p2c: 1000 })).sealed, 'pw')).signingKeys![0]!;
    await expect(importBatch(sdb, await writeBatch({ mid: 'M1', device: A.id, events, signingKey: { ...otherKey, kid: sigKey.kid! } }))).rejects.toThrow(BatchRefused);
    await expect(importBatch(sdb, await writeBatch({ mid: 'M1', device: Z.id, events, signingKey: sigKey }))).rejects.toThrow(/not a device of M1/);
    expect(await count()).toBe(n);

    // A merchant without a signing key: plain JSON lines, the count guards against cut files.
    await createMerchant(sdb, { id: 'M4', name: 'Plain', sharePercent: 80, signing: false });
    await createDevice(sdb, { mid: 'M4', id: 'M4-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const j4 = (await mint(sdb, { ...issuedBeforeTestDates(), mid: 'M4' }))[0]!.jti;
    const plain = await writeBatch({ mid: 'M4', device: 'M4-POS', events: [redemption(j4, '2026-11-21T15:00:00Z', { mid: 'M4' })] });
    const cut = plain.split('\n').slice(0, 1).join('\n');
    await expect(importBatch(sdb, cut)).rejects.toThrow(/header says 1 events but the file has 0/);
    expect((await importBatch(sdb, plain)).counts.stored).toBe(1);
  });
});
