/**
 * The heart of the reference server: storing uploaded events (idempotent, with
 * conflict detection), the changes feed, and the settlement of a day. Used by
 * the HTTP routes and by the batch import alike.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { writeTx, type ServerDb, type Tx, type EventTable, type VoucherTable } from './db';

export const MAX_EVENTS_PER_REQUEST = 500;
export const MAX_CHANGES_PER_PAGE = 5000;
export const DEFAULT_CHANGES_PER_PAGE = 500;

export interface FirstRef {
  id: string;
  branch: string | null;
  device: string | null;
  at: string;
}

export type EventStatus = 'stored' | 'duplicate' | 'conflict' | 'rejected';

export interface EventAnswer {
  id: string;
  status: EventStatus;
  /** conflict: the event that came first (earlier `at`, then smaller id). */
  first?: FirstRef;
  /** rejected: why, in plain English. */
  reason?: string;
  /** duplicate: the status of the first answer (stored or conflict). */
  was?: 'stored' | 'conflict';
}

/** Who is uploading: an authenticated device. */
export interface DeviceRef {
  id: string;
  mid: string;
  branch: string | null;
}

export const vkeyOf = (iss: string, jti: string): string => JSON.stringify([iss, jti]);
export const nowIso = (): string => new Date().toISOString();

// ------------------------------------------------------------------ tokens

/** SHA-256 of a token, hex: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The device a request comes from, or null (unknown device, revoked, or a wrong token). */
export async function authenticate(sdb: ServerDb, deviceId: string, token: string): Promise<DeviceRef | null> {
  const row = await sdb.db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
  // Compare even when the device is unknown, so timing does not tell which devices exist.
  const ok = tokenMatches(token, row?.token_hash ?? '0'.repeat(64));
  if (!row || !ok || row.revoked_at !== null) return null;
  return { id: row.id, mid: row.mid, branch: row.branch };
}

// ------------------------------------------------------------------ event shapes

const isoTime = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'not an ISO 8601 date-time');
const idSchema = z.string().min(1).max(64);
const optText = z.string().max(200).nullable().optional();

const redemptionSchema = z.looseObject({
  id: idSchema,
  type: z.literal('redemption'),
  iss: z.string().min(1).max(64),
  jti: z.string().min(1).max(64),
  mid: z.string().max(64).nullable().optional(),
  branch: z.string().max(64).nullable().optional(),
  device: z.string().max(64).nullable().optional(),
  at: isoTime,
  units: z.number().int().min(0).max(1_000_000).nullable().optional(),
  amount: z.number().int().min(0).max(1e15).nullable().optional(),
  cur: z.string().max(8).nullable().optional(),
  cashier: optText,
  member: optText,
  offline: z.boolean().optional(),
});

const reversalSchema = z.looseObject({
  id: idSchema,
  type: z.literal('reversal'),
  reverses: idSchema,
  at: isoTime,
  mid: z.string().max(64).nullable().optional(),
  branch: z.string().max(64).nullable().optional(),
  device: z.string().max(64).nullable().optional(),
  reason: z.string().max(500).nullable().optional(),
  by: optText,
});

type Redemption = z.infer<typeof redemptionSchema>;
type Reversal = z.infer<typeof reversalSchema>;

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
}

function parseEvent(raw: unknown): { ok: true; ev: Redemption | Reversal } | { ok: false; id: string; reason: string } {
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '';
  const type = (raw as { type?: unknown })?.type;
  if (type === 'redemption') {
    const r = redemptionSchema.safeParse(raw);
    return r.success ? { ok: true, ev: r.data } : { ok: false, id, reason: `invalid event: ${describe(r.error)}` };
  }
  if (type === 'reversal') {
    const r = reversalSchema.safeParse(raw);
    return r.success ? { ok: true, ev: r.data } : { ok: false, id, reason: `invalid event: ${describe(r.error)}` };
  }
  return { ok: false, id, reason: `invalid event: type must be "redemption" or "reversal"` };
}

// ------------------------------------------------------------------ upload

type Row = Omit<EventTable, 'seq'>;
interface Active {
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

interface VoucherState {
  v: VoucherTable;
  dirty: boolean;
  /** Stored, not reversed redemptions, loaded only when a conflict must be decided. */
  active: Active[] | null;
}

interface ChangeRow {
  mid: string | null;
  skip_device: string | null;
  to_device: string | null;
  body: string;
}

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

async function chunks<T>(items: T[], size: number, fn: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/**
 * Store a list of uploaded events for a device, in one transaction. Answers
 * in the same order. `origin` is the device the events came from (changes
 * built from them skip that device).
 */
export async function storeEvents(sdb: ServerDb, device: DeviceRef, events: unknown[]): Promise<EventAnswer[]> {
  return writeTx(sdb, (trx) => storeEventsIn(trx, device, events));
}

async function storeEventsIn(trx: Tx, device: DeviceRef, events: unknown[]): Promise<EventAnswer[]> {
  const receivedAt = nowIso();
  const parsed = events.map(parseEvent);
  const ids = [...new Set(parsed.flatMap((p) => (p.ok ? [p.ev.id] : [])))];

  // What is already stored: answered as duplicates.
  const known = new Map<string, EventAnswer>();
  await chunks(ids, 500, async (part) => {
    const rows = await trx.selectFrom('events').select(['id', 'mid', 'result']).where('id', 'in', part).execute();
    for (const r of rows) {
      // Another merchant's event is none of this device's business: not a duplicate, a refusal.
      known.set(r.id, r.mid === device.mid ? (JSON.parse(r.result) as EventAnswer) : { id: r.id, status: 'rejected', reason: 'this event id is taken by another merchant' });
    }
  });

  // Vouchers of the redemptions, and the stored targets of the reversals.
  const vkeys = [...new Set(parsed.flatMap((p) => (p.ok && p.ev.type === 'redemption' ? [vkeyOf(p.ev.iss, p.ev.jti)] : [])))];
  const vouchers = new Map<string, VoucherState>();
  await chunks(vkeys, 500, async (part) => {
    const rows = await trx.selectFrom('vouchers').selectAll().where('vkey', 'in', part).execute();
    for (const v of rows) vouchers.set(v.vkey, { v, dirty: false, active: null });
  });
  const targetIds = [...new Set(parsed.flatMap((p) => (p.ok && p.ev.type === 'reversal' ? [p.ev.reverses] : [])))];
  const dbTargets = new Map<string, Omit<EventTable, 'seq' | 'body' | 'result'>>();
  await chunks(targetIds, 500, async (part) => {
    const rows = await trx
      .selectFrom('events')
      .select(['id', 'mid', 'type', 'vkey', 'origin', 'device', 'branch', 'at', 'at_ms', 'units', 'amount', 'reverses', 'status', 'reversed_by', 'received_at'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) dbTargets.set(r.id, r);
  });

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

  const conflictChange = (loser: Active, first: Active, v: VoucherTable) => {
    const body = JSON.stringify({
      type: 'conflict',
      event: loser.id,
      iss: v.iss,
      jti: v.jti,
      at: loser.at,
      branch: loser.branch,
      device: loser.device,
      first: ref(first),
    });
    for (const to of new Set([loser.origin, first.origin])) changes.push({ mid: v.mid, skip_device: null, to_device: to, body });
  };

  for (const p of parsed) {
    if (!p.ok) {
      answers.push({ id: p.id, status: 'rejected', reason: p.reason });
      continue;
    }
    const ev = p.ev;
    const before = known.get(ev.id) ?? answeredHere.get(ev.id);
    if (before) {
      if (before.status === 'rejected') {
        answers.push(before);
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
    const atMs = Date.parse(ev.at);
    const at = new Date(atMs).toISOString();
    const evDevice = ev.device ?? device.id;
    const evBranch = ev.branch ?? device.branch;
    const body = { ...ev, mid: device.mid, device: evDevice, branch: evBranch };

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
      if (fits(v, used, take)) {
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
        v.used_units = acc.units;
        v.used_amount = acc.amount;
        v.used_events = acc.events;
        state.dirty = true;
        state.active = winners;
        result = row.status === 'conflict' ? { id: ev.id, status: 'conflict', first: ref(first) } : { id: ev.id, status: 'stored' };
      }
      row.result = JSON.stringify(result);
      newRows.push(row);
      pendingById.set(row.id, row);
      changes.push({ mid: device.mid, skip_device: device.id, to_device: null, body: JSON.stringify({ type: 'redemption', event: body }) });
      answer(result);
      continue;
    }

    // A reversal: frees what its redemption took.
    const pendingTarget = pendingById.get(ev.reverses);
    const target = pendingTarget ?? dbTargets.get(ev.reverses);
    if (!target) {
      reject(`reverses an unknown event (${ev.reverses})`);
      continue;
    }
    if (target.mid !== device.mid) {
      reject(`reverses an event of another merchant (${ev.reverses})`);
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
        const v = await trx.selectFrom('vouchers').selectAll().where('vkey', '=', target.vkey).executeTakeFirst();
        if (v) vouchers.set(target.vkey, (state = { v, dirty: false, active: null }));
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
    changes.push({ mid: device.mid, skip_device: device.id, to_device: null, body: JSON.stringify({ type: 'reversal', event: body }) });
    answer(result);
  }

  await chunks(newRows, 150, (part) => trx.insertInto('events').values(part).execute());
  for (const [id, status] of flips) await trx.updateTable('events').set({ status }).where('id', '=', id).execute();
  for (const [id, by] of reversedDb) await trx.updateTable('events').set({ reversed_by: by }).where('id', '=', id).execute();
  // The new totals of every voucher touched, as one upsert per 100 vouchers
  // (the rows are complete, so the insert part never adds a voucher).
  const dirty = [...vouchers.values()].filter((s) => s.dirty).map((s) => s.v);
  await chunks(dirty, 100, (part) =>
    trx
      .insertInto('vouchers')
      .values(part)
      .onConflict((oc) =>
        oc.column('vkey').doUpdateSet((eb) => ({
          used_units: eb.ref('excluded.used_units'),
          used_amount: eb.ref('excluded.used_amount'),
          used_events: eb.ref('excluded.used_events'),
        })),
      )
      .execute(),
  );
  await chunks(changes, 500, (part) => trx.insertInto('changes').values(part).execute());
  return answers;
}

// ------------------------------------------------------------------ changes

export function formatCursor(seq: number): string {
  return `c-${String(seq).padStart(12, '0')}`;
}

/** The sequence number of a cursor, or null when it is not one of ours. */
export function parseCursor(cursor: string): number | null {
  const m = /^c-(\d{1,15})$/.exec(cursor);
  return m ? Number(m[1]) : null;
}

export interface ChangesPage {
  cursor: string;
  more: boolean;
  serverTime: string;
  changes: unknown[];
}

/** The changes a device has not seen after `since` (a sequence number). */
export async function changesFor(sdb: ServerDb, device: DeviceRef, since: number, limit: number): Promise<ChangesPage> {
  // The newest change first, then the page up to it: changes are numbered in
  // commit order (the write lock), so everything up to `newest` is visible
  // now, and when the page is the last one the cursor can move to `newest`
  // even if the device was meant to skip the rows in between (its own events).
  const top = await sdb.db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
  const newest = Number(top?.m ?? 0);
  const rows = await sdb.db
    .selectFrom('changes')
    .select(['seq', 'body'])
    .where('seq', '>', since)
    .where('seq', '<=', newest)
    .where((eb) => eb.or([eb('mid', '=', device.mid), eb('mid', 'is', null)]))
    .where((eb) => eb.or([eb('skip_device', 'is', null), eb('skip_device', '<>', device.id)]))
    .where((eb) => eb.or([eb('to_device', 'is', null), eb('to_device', '=', device.id)]))
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = more ? Number(page[page.length - 1]!.seq) : Math.max(since, newest);
  return {
    cursor: formatCursor(last),
    more,
    serverTime: nowIso(),
    changes: page.map((r) => JSON.parse(r.body) as unknown),
  };
}

/** Add a change for every device of a merchant (mid) or of all merchants (null). */
export async function addChange(trx: Tx, mid: string | null, body: unknown): Promise<void> {
  await trx.insertInto('changes').values({ mid, skip_device: null, to_device: null, body: JSON.stringify(body) }).execute();
}

// ------------------------------------------------------------------ settlement

export interface Settlement {
  day: string;
  redemptions: number;
  reversals: number;
  units: number;
  gross: number;
  cur: string;
  share: number;
  conflicts: number;
  /** The merchant's revenue share in percent (85 = 85 %), as used for `share`. */
  sharePercent: number;
  /** The instants the day runs between: [from, to). */
  from: string;
  to: string;
}

/** Parse YYYY-MM-DD; null when it is not a real calendar day. */
export function parseDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return null;
  return ms;
}

/** `gross × bp / 10000`, rounded half away from zero to a whole minor unit (integer arithmetic). */
export function shareOf(gross: number, shareBp: number): number {
  const num = BigInt(Math.abs(gross)) * BigInt(shareBp);
  const q = num / 10000n;
  const r = num % 10000n;
  const rounded = Number(r * 2n >= 10000n ? q + 1n : q);
  return gross < 0 ? -rounded : rounded;
}

/**
 * The platform's count of a day for a merchant (all devices). The day of an
 * event is the calendar day of its `at` in the merchant's UTC offset (UTC by
 * default). Redemptions: stored (not conflict) redemptions of the day, reversed
 * or not; reversals: reversals of the day whose redemption was stored; units and
 * gross: what the day's redemptions took minus what the day's reversals gave
 * back; gross is the amount for value vouchers and units × unit price for item
 * and gift vouchers; conflicts: redemptions of the day stored as conflicts.
 */
export async function settlement(sdb: ServerDb, mid: string, day: string, dayStartUtcMs: number): Promise<Settlement> {
  const merchant = await sdb.db.selectFrom('merchants').select(['cur', 'share_bp', 'utc_offset_min']).where('id', '=', mid).executeTakeFirstOrThrow();
  const from = dayStartUtcMs - merchant.utc_offset_min * 60_000;
  const to = from + 86_400_000;
  const rows = await sdb.db
    .selectFrom('events')
    .leftJoin('vouchers', 'vouchers.vkey', 'events.vkey')
    .select(['events.id', 'events.type', 'events.status', 'events.units', 'events.amount', 'events.reverses', 'vouchers.kind', 'vouchers.unit_price'])
    .where('events.mid', '=', mid)
    .where('events.at_ms', '>=', from)
    .where('events.at_ms', '<', to)
    .execute();
  const targetIds = rows.filter((r) => r.type === 'reversal' && r.reverses).map((r) => r.reverses!);
  const targetStatus = new Map<string, string>();
  for (let i = 0; i < targetIds.length; i += 500) {
    const part = targetIds.slice(i, i + 500);
    for (const t of await sdb.db.selectFrom('events').select(['id', 'status']).where('id', 'in', part).execute()) targetStatus.set(t.id, t.status);
  }
  const money = (r: { kind: string | null; units: number | null; amount: number | null; unit_price: number | null }) =>
    r.kind === 'value' ? Number(r.amount ?? 0) : Number(r.units ?? 0) * Number(r.unit_price ?? 0);
  const s = { redemptions: 0, reversals: 0, units: 0, gross: 0, conflicts: 0 };
  for (const r of rows) {
    if (r.type === 'redemption') {
      if (r.status === 'conflict') {
        s.conflicts++;
        continue;
      }
      s.redemptions++;
      if (r.kind !== 'value') s.units += Number(r.units ?? 0);
      s.gross += money(r);
    } else if (r.type === 'reversal' && targetStatus.get(r.reverses ?? '') === 'stored') {
      s.reversals++;
      if (r.kind !== 'value') s.units -= Number(r.units ?? 0);
      s.gross -= money(r);
    }
  }
  return {
    day,
    ...s,
    cur: merchant.cur,
    share: shareOf(s.gross, merchant.share_bp),
    sharePercent: merchant.share_bp / 100,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}
