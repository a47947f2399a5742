/**
 * The reference server's database held by another writer (503 with
 * Retry-After, then stored on retry), and admin commands that refuse mistakes
 * with a clear message and change nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/app';
import { createDevice, createMerchant, initPlatform, mint, revoke, setCampaign } from '../../server/admin';
import { openServerDb } from '../../server/db';
import { issuedBeforeTestDates } from '../support/issue-time';

describe('reference server on sqlite, locked by another process', () => {
  it('answers 503 with Retry-After while another writer holds the database, then stores on retry', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vd-server-lock-'));
    const file = join(tmp, 'server.sqlite');
    const sdb = await openServerDb({ database: file, busyTimeoutMs: 100 });
    const srv = await startServer({ sdb, port: 0, retryAfter: 2 });
    const other = new Database(file);
    try {
      await initPlatform(sdb, { iss: 'gb.lock' });
      await createMerchant(sdb, { id: 'ML', name: 'Lock', sharePercent: 50 });
      const d = await createDevice(sdb, { mid: 'ML', id: 'L-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
      const jti = (await mint(sdb, { ...issuedBeforeTestDates(), mid: 'ML' }))[0]!.jti;
      const send = () =>
        fetch(`${srv.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS', 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ id: '01JDLOCK000000000000000001', type: 'redemption', iss: 'gb.lock', jti, at: '2026-11-21T09:00:00Z', units: 1 }] }),
        });
      other.exec('BEGIN IMMEDIATE');
      const busy = await send();
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      other.exec('COMMIT');
      // A client that gives up while the server waits for the lock does not leak a busy slot.
      const one = await startServer({ sdb, port: 0, maxInFlight: 1 });
      try {
        other.exec('BEGIN IMMEDIATE');
        const ac = new AbortController();
        const gaveUp = fetch(`${one.url}/v1/changes`, { headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS' }, signal: ac.signal }).catch((e: Error) => e);
        const heavy = fetch(`${one.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS', 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ id: '01JDLOCK000000000000000009', type: 'redemption', iss: 'gb.lock', jti, at: '2026-11-21T09:00:00Z', units: 1 }] }),
          signal: ac.signal,
        }).catch((e: Error) => e);
        await new Promise((r) => setTimeout(r, 30));
        ac.abort();
        await Promise.all([gaveUp, heavy]);
        await new Promise((r) => setTimeout(r, 300));
        other.exec('COMMIT');
        for (let i = 0; i < 3; i++) {
          expect((await fetch(`${one.url}/v1/changes`, { headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS' } })).status).toBe(200);
        }
      } finally {
        await one.close();
      }
      const ok = await send();
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { results: unknown[] }).results).toEqual([{ id: '01JDLOCK000000000000000001', status: 'stored' }]);
    } finally {
      other.close();
      await srv.close();
      await sdb.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('admin commands refuse mistakes with a clear message and change nothing', () => {
  it('init twice, bad share, unknown branch, unknown voucher, bad offset, duplicate ids', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vd-server-admin-'));
    const sdb = await openServerDb({ dataDir: tmp });
    try {
      await expect(createMerchant(sdb, { id: 'M', name: 'M', sharePercent: 85 })).resolves.toBeTruthy();
      await expect(createDevice(sdb, { mid: 'M', id: 'D', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/not initialised/);
      await initPlatform(sdb, { iss: 'gb.a' });
      await expect(initPlatform(sdb, { iss: 'gb.b' })).rejects.toThrow(/already initialised \(gb.a\)/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 120 })).rejects.toThrow(/--share must be a percentage/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 85.555 })).rejects.toThrow(/two decimals/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 85, utcOffset: '8' })).rejects.toThrow(/--utc-offset/);
      await expect(createMerchant(sdb, { id: 'M', name: 'again', sharePercent: 85 })).rejects.toThrow(/exists already/);
      await expect(createMerchant(sdb, { id: 'bad id!', name: 'x', sharePercent: 85 })).rejects.toThrow(/merchant id/);
      await expect(createDevice(sdb, { mid: 'M', id: 'D', branch: 'B9', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/no branch B9 of M/);
      await expect(createDevice(sdb, { mid: 'NOPE', id: 'D', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/no merchant NOPE/);
      await expect(createDevice(sdb, { mid: 'M', id: 'D', url: 'ftp://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/--url/);
      await expect(revoke(sdb, 'gb.a', 'NOPE', 'x')).rejects.toThrow(/no voucher gb.a NOPE/);
      const jti = (await mint(sdb, { mid: 'M', jti: 'J1' }))[0]!.jti;
      await expect(mint(sdb, { mid: 'M', jti: 'J1' })).rejects.toThrow(/J1 exists already/);
      await revoke(sdb, 'gb.a', jti, 'refunded');
      await expect(revoke(sdb, 'gb.a', jti, 'again')).rejects.toThrow(/revoked already/);
      await expect(setCampaign(sdb, { id: 'C', hours: '10-22' })).rejects.toThrow(/--hours/);
      expect(await sdb.db.selectFrom('merchants').select('id').execute()).toEqual([{ id: 'M' }]);
      expect(await sdb.db.selectFrom('devices').select('id').execute()).toEqual([]);
      expect(await sdb.db.selectFrom('campaigns').select('id').execute()).toEqual([]);
    } finally {
      await sdb.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
