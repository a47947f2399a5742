/**
 * Seeds a long-offline workstation: n redemptions with their outbox rows, in
 * one transaction straight into its database (as n real redemptions would
 * leave them), and the n vouchers on the platform's side. Used by the
 * 100,000-event test and bench/sync.ts.
 */
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { openDbFile } from '../support/workstation';
import { monotonicFactory } from 'ulid';
import { wireEvent } from '../../main/core/sync/wire';

export function seedPlatformVouchers(serverDbFile: string, n: number, opts: { iss?: string; mid?: string; prefix?: string } = {}): string[] {
  const iss = opts.iss ?? 'gb.example';
  const mid = opts.mid ?? 'M1001';
  const prefix = opts.prefix ?? 'SEED';
  const db = new Database(serverDbFile);
  const jtis: string[] = [];
  try {
    db.pragma('busy_timeout = 10000');
    const ins = db.prepare(
      `INSERT INTO vouchers (vkey, iss, jti, mid, kind, qty, val, cur, use_cap, unit_price, cmp, exp, minted_at, used_units, used_amount, used_events)
       VALUES (?, ?, ?, ?, 'item', 1, NULL, NULL, NULL, 1000, NULL, NULL, ?, 0, 0, 0)`,
    );
    const now = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const jti = `${prefix}${String(i).padStart(7, '0')}`;
        jtis.push(jti);
        ins.run(JSON.stringify([iss, jti]), iss, jti, mid, now);
      }
    })();
  } finally {
    db.close();
  }
  return jtis;
}

/** Writes n waiting redemptions (one unit each of the given vouchers) into a workstation's database. */
export async function seedWaitingEvents(wsDbFile: string, jtis: string[], opts: { iss?: string; mid?: string; device: string; branch: string; startAt?: number }): Promise<void> {
  const iss = opts.iss ?? 'gb.example';
  const mid = opts.mid ?? 'M1001';
  const db = await openDbFile(dirname(wsDbFile)); // the workstation's database is encrypted
  try {
    db.pragma('busy_timeout = 10000');
    const nextId = monotonicFactory();
    const ev = db.prepare(
      `INSERT INTO events (id, type, iss, jti, mid, kind, branch, device, cashier, at, units, amount, cur, offline, remote)
       VALUES (?, 'redemption', ?, ?, ?, 'item', ?, ?, 'seed', ?, 1, NULL, NULL, 1, 0)`,
    );
    const v = db.prepare(`INSERT INTO vouchers (iss, jti, kind, face, cur, max_uses, used, uses, last_event) VALUES (?, ?, 'item', 1, NULL, NULL, 1, 1, ?)`);
    const ob = db.prepare('INSERT INTO sync_outbox (id, body) VALUES (?, ?)');
    let at = opts.startAt ?? Date.now() - jtis.length * 1000;
    db.transaction(() => {
      for (const jti of jtis) {
        at += 1000;
        const id = nextId(at);
        ev.run(id, iss, jti, mid, opts.branch, opts.device, at);
        v.run(iss, jti, id);
        const body = wireEvent({ id, type: 'redemption', iss, jti, mid, branch: opts.branch, device: opts.device, at, units: 1, amount: null, cur: null, cashier: 'seed', member: null, offline: 1 });
        ob.run(id, JSON.stringify(body));
      }
    })();
  } finally {
    db.close();
  }
}
