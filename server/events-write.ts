/**
 * The write half of an upload (server/events.ts decides, this writes), under
 * the locks of the vouchers it touches (server/events-lock.ts):
 *
 * - events inserted with `ON CONFLICT (mid, id) DO NOTHING RETURNING id`: the
 *   database refuses a second copy even if two transactions ever raced past
 *   the check; a row it refused aborts the attempt with a retryable error, and
 *   the retry answers it as the duplicate it is;
 * - voucher counters updated relative to what is stored (`used = used + Δ`),
 *   within the CHECK of migration 0004 (server/migrate-merchant-keys.ts);
 * - changes inserted last, numbered from the merchant's feed row
 *   (server/feeds.ts), which stays locked until commit, so a merchant's
 *   changes commit in the order of their numbers (server/changes.ts).
 */
import { sql } from 'kysely';
import type { EventTable, Tx, VoucherTable } from './db';
import { numberChanges } from './feeds';

export async function chunks<T>(items: T[], size: number, fn: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

export type Row = Omit<EventTable, 'seq'>;

export interface Active {
  id: string;
  at_ms: number;
  units: number | null;
  amount: number | null;
  origin: string;
  device: string | null;
  branch: string | null;
  at: string;
  /** The pending row when it was made in this request (mutated in place), else null. */
  pending: Row | null;
}

export interface VoucherState {
  v: VoucherTable;
  /** The counters as read from the database (the Δ is taken against them). */
  read: { units: number; amount: number; events: number };
  dirty: boolean;
  /** Stored, not reversed redemptions, loaded only when a conflict must be decided. */
  active: Active[] | null;
}

export interface ChangeRow {
  mid: string | null;
  skip_device: string | null;
  to_device: string | null;
  body: string;
}

export const voucherState = (v: VoucherTable): VoucherState => ({
  v,
  read: { units: v.used_units, amount: v.used_amount, events: v.used_events },
  dirty: false,
  active: null,
});

/** The redemptions of a voucher that lost (stored ones and this request's), for telling them of a new winner. */
export async function earlierLosers(trx: Tx, v: { mid: string; vkey: string }, pending: Row[]): Promise<Active[]> {
  const vkey = v.vkey;
  const rows = await trx
    .selectFrom('events')
    .select(['id', 'at_ms', 'units', 'amount', 'origin', 'device', 'branch', 'at'])
    .where('mid', '=', v.mid)
    .where('vkey', '=', vkey)
    .where('type', '=', 'redemption')
    .where('status', '=', 'conflict')
    .execute();
  const out: Active[] = rows.map((r) => ({ ...r, pending: null }));
  for (const p of pending) {
    if (p.vkey === vkey && p.type === 'redemption' && p.status === 'conflict') out.push({ ...p, pending: p });
  }
  return out;
}

/** An event the unique key refused: the attempt is retried (server/tx.ts), and the retry sees it stored. */
class RacedKey extends Error {
  readonly code = '23505';
}

/** What an upload changes in one voucher's counters. */
export interface CounterDelta {
  mid: string;
  vkey: string;
  u: number;
  a: number;
  e: number;
}

/**
 * One statement for the counters of up to 200 vouchers of one merchant
 * (UPDATE … FROM VALUES: PostgreSQL and SQLite ≥ 3.33), by the key (mid,
 * vkey) (migration 0005: Citus routes by mid). The keys are also named
 * outright: joined to the VALUES alone, PostgreSQL hashed the whole vouchers
 * table on every upload (a sequential scan, 20–50 ms at 40,000 vouchers and
 * growing with them) instead of using the key (test/server/plans.test.ts).
 */
export function counterUpdate(mid: string, part: CounterDelta[]) {
  const values = sql.join(part.map((d) => sql`(cast(${d.mid} as text), cast(${d.vkey} as text), cast(${d.u} as bigint), cast(${d.a} as bigint), cast(${d.e} as bigint))`));
  return sql`update vouchers set used_units = vouchers.used_units + d.u, used_amount = vouchers.used_amount + d.a, used_events = vouchers.used_events + d.e
    from (select column1 as mid, column2 as vkey, column3 as u, column4 as a, column5 as e from (values ${values}) as t) as d
    where vouchers.mid = d.mid and vouchers.vkey = d.vkey and vouchers.mid = ${mid} and vouchers.vkey in (${sql.join(part.map((d) => d.vkey))})`;
}

/**
 * PostgreSQL: the counters of any number of vouchers of one merchant in one
 * statement whose text does not grow with them (each column one array
 * parameter), by the key. As with VALUES, the rows carry their `mid` and are
 * filtered by it: without that, PostgreSQL estimated the array's rows as
 * many and hashed all of the merchant's vouchers instead of probing the key
 * for each (test/server/plans.test.ts).
 */
export function counterUpdateArrays(mid: string, part: CounterDelta[]) {
  return sql`update vouchers set used_units = vouchers.used_units + d.u, used_amount = vouchers.used_amount + d.a, used_events = vouchers.used_events + d.e
    from unnest(cast(${part.map((d) => d.mid)} as text[]), cast(${part.map((d) => d.vkey)} as text[]), cast(${part.map((d) => d.u)} as bigint[]),
      cast(${part.map((d) => d.a)} as bigint[]), cast(${part.map((d) => d.e)} as bigint[])) as d(mid, vkey, u, a, e)
    where d.mid = ${mid} and vouchers.mid = d.mid and vouchers.vkey = d.vkey`;
}

/** The columns of an event row and their PostgreSQL types, in the order of the array insert. */
const EVENT_COLUMNS: [keyof Row, 'text' | 'bigint'][] = [
  ['id', 'text'], ['mid', 'text'], ['type', 'text'], ['vkey', 'text'], ['origin', 'text'], ['device', 'text'], ['branch', 'text'], ['at', 'text'],
  ['at_ms', 'bigint'], ['units', 'bigint'], ['amount', 'bigint'], ['reverses', 'text'], ['status', 'text'], ['reversed_by', 'text'],
  ['body', 'text'], ['result', 'text'], ['received_at', 'text'],
];
const CHANGE_COLUMNS: [keyof ChangeRow | 'seq', 'text' | 'bigint'][] = [['mid', 'text'], ['seq', 'bigint'], ['skip_device', 'text'], ['to_device', 'text'], ['body', 'text']];

/**
 * `insert … select * from unnest(col1[], col2[], …)`: on PostgreSQL a batch of
 * rows is one statement with one parameter a column. Multi-row VALUES with a
 * parameter a cell (thousands an upload) cost PostgreSQL about a third of its
 * CPU in planning alone, and the server as much in building and sending them
 * (bench/server.ts with BENCH_SERVER_STATEMENTS=1).
 */
function arraysOf<R>(rows: R[], cols: [keyof R, 'text' | 'bigint'][]) {
  return {
    names: sql.join(cols.map(([c]) => sql.ref(String(c)))),
    arrays: sql.join(cols.map(([c, type]) => sql`cast(${rows.map((r) => r[c] ?? null)} as ${sql.raw(type)}[])`)),
  };
}

export async function writeOut(
  trx: Tx,
  w: {
    dialect: 'postgres' | 'sqlite';
    mid: string;
    newRows: Row[];
    flips: Map<string, string>;
    reversedDb: Map<string, string>;
    vouchers: VoucherState[];
    changes: ChangeRow[];
  },
): Promise<void> {
  const pg = w.dialect === 'postgres';
  await chunks(w.newRows, pg ? 1000 : 150, async (part) => {
    let done: unknown[];
    if (pg) {
      const { names, arrays } = arraysOf(part, EVENT_COLUMNS);
      done = (await sql`insert into events (${names}) select * from unnest(${arrays}) on conflict (mid, id) do nothing returning id`.execute(trx)).rows;
    } else {
      done = await trx
        .insertInto('events')
        .values(part)
        .onConflict((oc) => oc.columns(['mid', 'id']).doNothing())
        .returning('id')
        .execute();
    }
    if (done.length !== part.length) throw new RacedKey('an event id was stored meanwhile');
  });
  for (const [id, status] of w.flips) await trx.updateTable('events').set({ status }).where('mid', '=', w.mid).where('id', '=', id).execute();
  for (const [id, by] of w.reversedDb) await trx.updateTable('events').set({ reversed_by: by }).where('mid', '=', w.mid).where('id', '=', id).execute();
  // Relative counters, one statement per 200 vouchers of a merchant.
  const deltas = w.vouchers
    .filter((s) => s.dirty)
    .map((s) => ({ vkey: s.v.vkey, mid: s.v.mid, u: s.v.used_units - s.read.units, a: s.v.used_amount - s.read.amount, e: s.v.used_events - s.read.events }))
    .filter((d) => d.u !== 0 || d.a !== 0 || d.e !== 0);
  for (const mid of new Set(deltas.map((d) => d.mid))) {
    await chunks(deltas.filter((d) => d.mid === mid), pg ? 1000 : 200, (part) => (pg ? counterUpdateArrays(mid, part) : counterUpdate(mid, part)).execute(trx));
  }
  if (w.changes.length === 0) return;
  // Numbered last, for the shortest time: the merchant's feed row stays locked until commit (server/feeds.ts).
  const first = await numberChanges(trx, w.mid, w.changes.length);
  const rows = w.changes.map((c, i) => ({ ...c, mid: w.mid, seq: first + i }));
  if (pg) {
    await chunks(rows, 1000, async (part) => {
      const { names, arrays } = arraysOf(part, CHANGE_COLUMNS);
      await sql`insert into changes (${names}) select * from unnest(${arrays})`.execute(trx);
    });
  } else await chunks(rows, 500, (part) => trx.insertInto('changes').values(part).execute());
}
