/**
 * The heart of the reference server: storing uploaded events (idempotent, with
 * conflict detection), read with the protocol's schemas (common/protocol).
 * Used by the HTTP routes and by the batch import alike. The changes feed is
 * in changes.ts, the settlement of a day in settlement.ts.
 */
import { parseEvent, type Change, type ConflictChange, type FirstRef, type UploadResult as EventAnswer } from '../common/protocol/sync';
import { isDeepStrictEqual } from 'node:util';
import type { ServerDb, Tx, VoucherTable } from './db';
import { writeTx } from './tx';
import { lockAndRead } from './events-lock';
import type { DeviceRef } from './devices';
import { atOutOfBounds, atOutsideValidity } from './event-time';
import { chunks, earlierLosers, writeOut, type Active, type ChangeRow, type Row, type VoucherState, voucherState } from './events-write';
import { SOLD_OUT, StockBook } from './stock';

export type { FirstRef, UploadResult as EventAnswer, UploadStatus as EventStatus } from '../common/protocol/sync';
export { MAX_EVENTS_PER_REQUEST } from '../common/protocol/sync';

export { EARLIEST_AT_MS, FUTURE_TOLERANCE_MS, VALIDITY_TOLERANCE_MS } from './event-time';
/** The reason a different event reusing a stored id is rejected with. */
export const ID_REUSED = 'idReused';

/** The same event as the one stored (a retry), compared by content; key order does not matter. */
const sameEvent = (storedBody: string, body: object): boolean => isDeepStrictEqual(JSON.parse(storedBody), JSON.parse(JSON.stringify(body)));

export const vkeyOf = (iss: string, jti: string): string => JSON.stringify([iss, jti]);
export const nowIso = (): string => new Date().toISOString();

// ------------------------------------------------------------------ upload

function takeOf(v: VoucherTable, units: number | null, amount: number | null): { units: number; amount: number } {
  return v.kind === 'value' ? { units: 0, amount: amount ?? 0 } : { units: units ?? 1, amount: 0 };
}

function fits(v: VoucherTable, used: { units: number; amount: number; events: number }, take: { units: number; amount: number }): boolean {
  if (v.use_cap !== null && used.events + 1 > v.use_cap) return false;
  if (v.kind === 'value') return used.amount + take.amount <= (v.val ?? 0);
  return used.units + take.units <= (v.qty ?? 1);
}

const ref = (a: { id: string; branch: string | null; device: string | null; at: string }): FirstRef => ({
  id: a.id,
  branch: a.branch,
  device: a.device,
  at: a.at,
});

const byAtThenId = (a: { at_ms: number; id: string }, b: { at_ms: number; id: string }) =>
  a.at_ms - b.at_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);


/**
 * Store a list of uploaded events for a device, in one transaction. Answers
 * in the same order. `origin` is the device the events came from (changes
 * built from them skip that device). `batch`: they come from a batch file, so
 * all count as offline for campaign stock (server/stock.ts).
 */
export async function storeEvents(sdb: ServerDb, device: DeviceRef, events: unknown[], opts: { batch?: boolean } = {}): Promise<EventAnswer[]> {
  // Parsed and checked before the transaction begins; the transaction locks what it touches (server/events-lock.ts).
  const parsed = events.map(parseEvent);
  return writeTx(sdb, (trx) => storeEventsIn(sdb, trx, device, parsed, opts.batch ?? false), 'own');
}

async function storeEventsIn(sdb: ServerDb, trx: Tx, device: DeviceRef, parsed: ReturnType<typeof parseEvent>[], batch: boolean): Promise<EventAnswer[]> {
  const receivedAt = nowIso();
  const ids = [...new Set(parsed.flatMap((p) => (p.ok ? [p.ev.id] : [])))];

  // Vouchers of the redemptions and the stored targets of the reversals, their vouchers locked first.
  const vkeys = [...new Set(parsed.flatMap((p) => (p.ok && p.ev.type === 'redemption' ? [vkeyOf(p.ev.iss, p.ev.jti)] : [])))];
  const targetIds = [...new Set(parsed.flatMap((p) => (p.ok && p.ev.type === 'reversal' ? [p.ev.reverses] : [])))];
  const { vouchers, targets: dbTargets } = await lockAndRead(sdb, trx, device.mid, vkeys, targetIds);
  // Then their campaigns' count rows (issue 15; a batch file's events are all offline).
  const stock = await StockBook.open(sdb, trx, device.mid, device.id, vouchers, { allOffline: batch });

  // What is already stored: answered as duplicates.
  const known = new Map<string, EventAnswer>();
  const bodies = new Map<string, string>(); // id → the stored (or stored here) event, to tell a retry from a reuse
  await chunks(ids, 500, async (part) => {
    // Event ids are the merchant's own (key (mid, id)): another merchant's event under the same id is another event.
    const rows = await trx.selectFrom('events').select(['id', 'result', 'body']).where('mid', '=', device.mid).where('id', 'in', part).execute();
    for (const r of rows) {
      known.set(r.id, JSON.parse(r.result) as EventAnswer);
      bodies.set(r.id, r.body);
    }
  });
  const receivedMs = Date.parse(receivedAt);

  const newRows: Row[] = [];
  const pendingById = new Map<string, Row>();
  const flips = new Map<string, string>(); // stored rows whose status changed: id → status
  const reversedDb = new Map<string, string>(); // stored rows now reversed: id → reversal id
  const changes: ChangeRow[] = [];
  const answers: EventAnswer[] = [];
  const answeredHere = new Map<string, EventAnswer>();

  const loadActive = async (state: VoucherState): Promise<Active[]> => {
    if (state.active) return state.active;
    const rows = await trx
      .selectFrom('events')
      .select(['id', 'at_ms', 'units', 'amount', 'origin', 'device', 'branch', 'at'])
      .where('mid', '=', state.v.mid)
      .where('vkey', '=', state.v.vkey)
      .where('type', '=', 'redemption')
      .where('status', '=', 'stored')
      .where('reversed_by', 'is', null)
      .execute();
    const active: Active[] = rows
      .filter((r) => !flips.has(r.id) && !reversedDb.has(r.id))
      .map((r) => ({ ...r, pending: null }));
    for (const p of newRows) {
      if (p.vkey === state.v.vkey && p.type === 'redemption' && p.status === 'stored' && p.reversed_by === null) {
        active.push({ id: p.id, at_ms: p.at_ms, units: p.units, amount: p.amount, origin: p.origin, device: p.device, branch: p.branch, at: p.at, pending: p });
      }
    }
    state.active = active;
    return active;
  };

  const conflictChange = (loser: Active, first: Active, v: VoucherTable, alsoTo?: string) => {
    const body = JSON.stringify({
      type: 'conflict',
      event: loser.id,
      iss: v.iss,
      jti: v.jti,
      at: loser.at,
      branch: loser.branch,
      device: loser.device,
      first: ref(first),
    } satisfies ConflictChange);
    for (const to of new Set([loser.origin, first.origin, ...(alsoTo ? [alsoTo] : [])])) changes.push({ mid: v.mid, skip_device: null, to_device: to, body });
  };

  for (const p of parsed) {
    if (!p.ok) {
      answers.push({ id: p.id, status: 'rejected', reason: p.reason });
      continue;
    }
    const ev = p.ev;
    // Device and branch are the token's: an event naming others is refused below, so the body always says these.
    const body = { ...ev, mid: device.mid, device: device.id, branch: device.branch };
    const before = known.get(ev.id) ?? answeredHere.get(ev.id);
    if (before) {
      if (before.status === 'rejected') {
        answers.push(before);
        continue;
      }
      const storedBody = bodies.get(ev.id);
      if (storedBody !== undefined && !sameEvent(storedBody, body)) {
        // Not a retry: another event under a taken id (issue 11). Refused, and the first stays as it was.
        answers.push({ id: ev.id, status: 'rejected', reason: ID_REUSED });
        continue;
      }
      const { was: _was, ...firstAnswer } = before;
      answers.push({ ...firstAnswer, status: 'duplicate', was: before.status === 'duplicate' ? (before.was ?? 'stored') : (before.status as 'stored' | 'conflict') });
      continue;
    }
    const answer = (a: EventAnswer) => {
      answers.push(a);
      answeredHere.set(ev.id, a);
    };
    const reject = (reason: string) => answer({ id: ev.id, status: 'rejected', reason });
    if (ev.mid != null && ev.mid !== device.mid) {
      reject(`event for another merchant (${ev.mid}); this device belongs to ${device.mid}`);
      continue;
    }
    if (ev.device != null && ev.device !== device.id) {
      reject(`event for another device (${ev.device}); the token is ${device.id}'s`);
      continue;
    }
    if (ev.branch != null && ev.branch !== device.branch) {
      reject(`event for another branch (${ev.branch}); device ${device.id} is ${device.branch === null ? 'in no branch' : `in ${device.branch}`}`);
      continue;
    }
    const atMs = Date.parse(ev.at);
    const badAt = atOutOfBounds(ev.at, atMs, receivedMs);
    if (badAt) {
      reject(badAt);
      continue;
    }
    const at = new Date(atMs).toISOString();
    const evDevice = device.id;
    const evBranch = device.branch;

    if (ev.type === 'redemption') {
      const vkey = vkeyOf(ev.iss, ev.jti);
      const state = vouchers.get(vkey);
      if (!state) {
        reject(`unknown voucher: ${ev.iss} ${ev.jti} was not issued by this platform`);
        continue;
      }
      const v = state.v;
      if (v.mid !== device.mid) {
        reject(`voucher of another merchant: ${ev.iss} ${ev.jti} is for ${v.mid}`);
        continue;
      }
      const outside = atOutsideValidity(ev.at, atMs, v);
      if (outside) {
        reject(outside);
        continue;
      }
      if (v.kind === 'value' && (ev.amount == null || ev.amount < 1)) {
        reject('a redemption of a value voucher needs an amount of at least 1');
        continue;
      }
      if (v.kind !== 'value' && ev.units != null && ev.units < 1) {
        reject('a redemption needs at least 1 unit');
        continue;
      }
      const take = takeOf(v, ev.units ?? null, ev.amount ?? null);
      const row: Row = {
        id: ev.id,
        mid: device.mid,
        type: 'redemption',
        vkey,
        origin: device.id,
        device: evDevice,
        branch: evBranch,
        at,
        at_ms: atMs,
        units: v.kind === 'value' ? (ev.units ?? null) : take.units,
        amount: v.kind === 'value' ? take.amount : (ev.amount ?? null),
        reverses: null,
        status: 'stored',
        reversed_by: null,
        body: JSON.stringify(body),
        result: '',
        received_at: receivedAt,
      };
      const mine: Active = { id: row.id, at_ms: atMs, units: row.units, amount: row.amount, origin: device.id, device: evDevice, branch: evBranch, at, pending: row };
      let result: EventAnswer;
      const used = { units: v.used_units, amount: v.used_amount, events: v.used_events };
      const mark = stock.mark(v, take, ev);
      if (fits(v, used, take)) {
        if (mark?.soldOut) {
          reject(SOLD_OUT); // online-first, and the campaign has nothing free: nothing changes
          continue;
        }
        v.used_units += take.units;
        v.used_amount += take.amount;
        v.used_events += 1;
        state.dirty = true;
        state.active?.push(mine);
        result = { id: ev.id, status: 'stored' };
      } else if (ev.offline === false) {
        // Asked online (online-first): the counter has not handed anything
        // over yet and will refuse, so this one loses whatever its `at`.
        const active = [...(await loadActive(state))].sort(byAtThenId);
        const first = active[0] ?? mine;
        row.status = 'conflict';
        conflictChange(mine, first, v);
        result = { id: ev.id, status: 'conflict', first: ref(first) };
      } else {
        // Decide by (at, id) over every live redemption of the voucher, this one included.
        const oldFirst = [...(await loadActive(state))].sort(byAtThenId)[0];
        const all = [...(await loadActive(state)), mine].sort(byAtThenId);
        const acc = { units: 0, amount: 0, events: 0 };
        const winners: Active[] = [];
        const losers: Active[] = [];
        for (const a of all) {
          const t = takeOf(v, a.units, a.amount);
          if (fits(v, acc, t)) {
            acc.units += t.units;
            acc.amount += t.amount;
            acc.events += 1;
            winners.push(a);
          } else losers.push(a);
        }
        const first = winners[0] ?? all[0]!;
        for (const l of losers) {
          if (l === mine) row.status = 'conflict';
          else if (l.pending) l.pending.status = 'conflict';
          else flips.set(l.id, 'conflict');
          conflictChange(l, first, v);
        }
        if (oldFirst && oldFirst.id !== first.id) {
          // The winner changed (issue 14): every earlier loser of this voucher, and the
          // device of the old winner, hear of the new one (the losers above already did).
          const told = new Set(losers.map((l) => l.id));
          const earlier = await earlierLosers(trx, v, newRows);
          for (const l of earlier.filter((e) => !told.has(e.id))) conflictChange(l, first, v, oldFirst.origin);
        }
        v.used_units = acc.units;
        v.used_amount = acc.amount;
        v.used_events = acc.events;
        state.dirty = true;
        state.active = winners;
        result = row.status === 'conflict' ? { id: ev.id, status: 'conflict', first: ref(first) } : { id: ev.id, status: 'stored' };
      }
      const oversell = stock.taken(mark, row);
      if (oversell > 0) result = { ...result, oversell };
      row.result = JSON.stringify(result);
      newRows.push(row);
      pendingById.set(row.id, row);
      bodies.set(row.id, row.body);
      const forwarded = v.cmp === null ? body : { ...body, cmp: v.cmp }; // the campaign, from the platform's record
      changes.push({ mid: device.mid, skip_device: device.id, to_device: null, body: JSON.stringify({ type: 'redemption', event: forwarded } satisfies Change) });
      answer(result);
      continue;
    }

    // A reversal: frees what its redemption took.
    const pendingTarget = pendingById.get(ev.reverses);
    const target = pendingTarget ?? dbTargets.get(ev.reverses);
    // Targets are this merchant's events (ids are per merchant): another merchant's is unknown here.
    if (!target) {
      reject(`reverses an unknown event (${ev.reverses})`);
      continue;
    }
    if (target.type !== 'redemption') {
      reject(`reverses an event that is not a redemption (${ev.reverses})`);
      continue;
    }
    const alreadyBy = pendingTarget ? pendingTarget.reversed_by : (reversedDb.get(target.id) ?? target.reversed_by);
    if (alreadyBy !== null) {
      reject(`the redemption ${ev.reverses} was already reversed by ${alreadyBy}`);
      continue;
    }
    const targetStatus = pendingTarget ? pendingTarget.status : (flips.get(target.id) ?? target.status);
    if (pendingTarget) pendingTarget.reversed_by = ev.id;
    else reversedDb.set(target.id, ev.id);
    if (targetStatus === 'stored' && target.vkey) {
      let state = vouchers.get(target.vkey);
      if (!state) {
        const v = await trx.selectFrom('vouchers').selectAll().where('mid', '=', device.mid).where('vkey', '=', target.vkey).executeTakeFirst();
        if (v) vouchers.set(target.vkey, (state = voucherState(v)));
      }
      if (state) {
        const t = takeOf(state.v, target.units, target.amount);
        state.v.used_units -= t.units;
        state.v.used_amount -= t.amount;
        state.v.used_events -= 1;
        state.dirty = true;
        if (state.active) state.active = state.active.filter((a) => a.id !== target.id);
      }
    }
    const result: EventAnswer = { id: ev.id, status: 'stored' };
    const row: Row = {
      id: ev.id,
      mid: device.mid,
      type: 'reversal',
      vkey: target.vkey,
      origin: device.id,
      device: evDevice,
      branch: evBranch,
      at,
      at_ms: atMs,
      units: target.units,
      amount: target.amount,
      reverses: target.id,
      status: 'stored',
      reversed_by: null,
      body: JSON.stringify(body),
      result: JSON.stringify(result),
      received_at: receivedAt,
    };
    newRows.push(row);
    pendingById.set(row.id, row);
    bodies.set(row.id, row.body);
    changes.push({ mid: device.mid, skip_device: device.id, to_device: null, body: JSON.stringify({ type: 'reversal', event: body } satisfies Change) });
    answer(result);
  }

  await stock.write(trx);
  await writeOut(trx, { dialect: sdb.dialect, mid: device.mid, newRows, flips, reversedDb, vouchers: [...vouchers.values()], changes });
  return answers;
}

