/**
 * What encryption at rest costs a redemption's database work (issue 11): the
 * ledger transaction of a redemption (exclusive() + remaining() +
 * appendRedemption(), synchronous=FULL, WAL) on two databases loaded alike,
 * one encrypted (SQLCipher 4, the workstation's) and one clear, in the same
 * run, in alternating rounds so both see the same machine load. Opening the
 * voucher (the crypto) does not touch the database and costs the same on both.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../main/core/catalog/catalog';
import { openDatabase, type Db } from '../main/core/db/open';
import { Ledger } from '../main/core/ledger/ledger';
import { silentLogger } from '../main/core/log';
import { Points } from '../main/core/points/points';
import { Settings } from '../main/core/settings';
import type { VoucherTerms } from '../main/core/vouchers/claims';
import { bulkJti, bulkLoad } from './ledger';
import { fmt, note, stats, table, tempDir, tick, type Stats } from './lib';

export interface CipherFigures {
  earlierRedemptions: number;
  encryptedMs: Stats;
  clearMs: Stats;
  /** encrypted ÷ clear, at p50 and p99. */
  ratioP50: number;
  ratioP99: number;
  loadBefore: number[];
  loadAfter: number[];
}

function ledgerOn(db: Db): Ledger {
  const settings = new Settings(db);
  return new Ledger(db, { catalog: new Catalog(db), points: new Points(db, settings), log: silentLogger });
}

export async function cipherSideBySide(opts: { earlier: number; measured: number; iss: string; mid: string }): Promise<CipherFigures> {
  const tmp = tempDir('vd-bench-cipher-');
  const key = randomBytes(32);
  const sides = [
    { name: 'encrypted', file: join(tmp.dir, 'encrypted.db'), key, samples: [] as number[] },
    { name: 'clear', file: join(tmp.dir, 'clear.db'), key: undefined, samples: [] as number[] },
  ];
  const dbs: Db[] = [];
  try {
    for (const s of sides) {
      openDatabase(s.file, s.key).close(); // the schema
      bulkLoad(s.file, s.key, opts.earlier, 50_000, opts);
    }
    const ledgers = sides.map((s) => {
      const db = openDatabase(s.file, s.key);
      dbs.push(db);
      return ledgerOn(db);
    });
    const loadBefore = loadavg();
    const rounds = 10;
    const perRound = Math.max(1, Math.ceil(opts.measured / rounds));
    let serial = opts.earlier + 30_000_000;
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const ledger = ledgers[i]!;
        for (let k = 0; k < perRound; k++) {
          const terms: VoucherTerms = { iss: opts.iss, jti: bulkJti(serial++), kind: 'item', face: 1, cur: null, maxUses: null };
          const t = performance.now();
          ledger.exclusive(() => {
            if (ledger.remaining(terms).left <= 0) throw new Error('already used');
            ledger.appendRedemption({ terms, mid: opts.mid, sku: 'SKU-1', take: 1, at: Date.now(), device: 'BENCH-POS', branch: 'B01', cashier: null });
          });
          sides[i]!.samples.push(performance.now() - t);
          if (k % 32 === 0) await tick();
        }
      }
    }
    const loadAfter = loadavg();
    const [enc, clear] = sides.map((s) => stats(s.samples)) as [Stats, Stats];
    const ratioP50 = enc.p50 / clear.p50;
    const ratioP99 = enc.p99 / clear.p99;
    table(
      `Encryption at rest: the redemption's ledger transaction, ${opts.earlier.toLocaleString('en')} earlier redemptions, synchronous=FULL (ms, same run, alternating rounds)`,
      ['database', 'n', 'p50', 'p90', 'p99', 'max'],
      [
        ['encrypted (SQLCipher 4, AES-256 + HMAC-SHA512 per page)', String(enc.n), enc.p50, enc.p90, enc.p99, enc.max],
        ['clear', String(clear.n), clear.p50, clear.p90, clear.p99, clear.max],
      ],
    );
    const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    note(
      `encrypted ÷ clear: ×${fmt(ratioP50, 2)} at p50, ×${fmt(ratioP99, 2)} at p99 ` +
        `(+${fmt(enc.p50 - clear.p50, 3)} ms at p50). Machine load (1/5/15 min): ${la(loadBefore)} before, ${la(loadAfter)} after.`,
    );
    return { earlierRedemptions: opts.earlier, encryptedMs: enc, clearMs: clear, ratioP50, ratioP99, loadBefore, loadAfter };
  } finally {
    for (const db of dbs) db.close();
    tmp.cleanup();
  }
}
