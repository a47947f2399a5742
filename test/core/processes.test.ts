import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreChild } from '../../main/host/core-child';
import { startWorker } from '../support/workers';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { ADMIN_PASSPHRASE, callOk, newWorkstation, openDbFile } from '../support/workstation';

// Real processes on one real database file.
let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  ws.core.close();
});
afterAll(() => ws.cleanup());


describe('the same voucher from several processes', () => {
  it('a single-unit voucher redeemed by 8 processes at once on one database file is accepted exactly once', async () => {
    {
      const { text, jti } = await issuer.mint('item', { qty: 1 });
      const workers = Array.from({ length: 8 }, () => startWorker(ws.dir));
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.send(text); // all at once: a real race for one unit
      const results = await Promise.all(workers.map((w) => w.result));
      const verdicts = results.map((r) => r.verdict).sort();
      expect(verdicts.filter((v) => v === 'VALID')).toHaveLength(1);
      expect(verdicts.filter((v) => v === 'ALREADY_REDEEMED')).toHaveLength(7);
      const db = await openDbFile(ws.dir, { readonly: true });
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE jti = ? AND type = 'redemption'").get(jti)).toEqual({ n: 1 });
      db.close();
    }
  });
});

describe('durability', () => {
  it('every redemption acknowledged before kill -9 of the core process is there after a restart (20 random kills)', async () => {
    const pool = await Promise.all(Array.from({ length: 600 }, () => issuer.mint('item', { qty: 1 })));
    let next = 0;
    const acknowledged: string[] = [];
    for (let round = 0; round < 20; round++) {
      const core = await startCoreChild({ dataDir: ws.dir });
      const unlocked = await core.connection.call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
      expect(unlocked.ok).toBe(true);
      // Everything acknowledged so far survived the previous kill.
      const db = await openDbFile(ws.dir, { readonly: true });
      const stored = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
      db.close();
      for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} lost`).toBe(true);

      let alive = true;
      const killAfter = 20 + Math.floor(Math.random() * 250);
      const killer = setTimeout(() => {
        alive = false;
        core.child.kill('SIGKILL');
      }, killAfter);
      while (alive && next < pool.length) {
        const outcome = await core.connection.call('voucher.redeem', { text: pool[next++]!.text });
        if (outcome.ok) {
          const v = outcome.value as { verdict: string; event?: { id: string } };
          expect(v.verdict).toBe('VALID');
          acknowledged.push(v.event!.id);
        }
      }
      clearTimeout(killer);
      if (alive) core.child.kill('SIGKILL');
      await core.exited;
    }
    const db = await openDbFile(ws.dir, { readonly: true });
    const stored = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
    db.close();
    expect(acknowledged.length).toBeGreaterThan(20);
    for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} lost`).toBe(true);
    // 20 starts of a core process, each unlocking its keys: 25-60 s on a quiet 2-core machine, more under load.
  }, 180_000);
});
