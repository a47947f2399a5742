/**
 * Kills during syncs: a workstation of the reference platform (test/sync/support.ts:
 * the server as a real process on loopback, its bundle sealed, vouchers minted
 * by the platform) redeems vouchers while `sync.now` runs again and again, so
 * kills land in uploads, in online-first questions and in redemptions.
 * At the end the outbox must drain and the server must hold every
 * acknowledged event exactly once, and no voucher twice.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { SyncStatus } from '../../preload/contract';
import { makePlatform, startServer, startStation, type Platform, type ServerProc, type Station } from '../../test/sync/support';
import { AcknowledgedRedemptions } from './acknowledged';
import type { Scenario, Tally } from './driver';

const PER_TRIAL = 80;
const DRAIN_MS = 60_000;

/** What the server holds of the acknowledged events: missing ones, and vouchers with more than one stored redemption. */
function serverHolds(p: Platform, eventIds: string[]): { missing: number; doubles: number; notStored: number } {
  const db = new Database(join(p.dir, 'srv', 'server.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const byId = db.prepare('SELECT count(*) AS n, max(status) AS status FROM events WHERE id = ?');
    let missing = 0;
    let notStored = 0;
    for (const id of eventIds) {
      const r = byId.get(id) as { n: number; status: string | null };
      if (r.n !== 1) missing++;
      else if (r.status !== 'stored') notStored++;
    }
    const { n } = db
      .prepare("SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM events WHERE type = 'redemption' AND status = 'stored' AND reversed_by IS NULL GROUP BY vkey HAVING c > 1)")
      .get() as { n: number };
    return { missing, doubles: n, notStored };
  } finally {
    db.close();
  }
}

export function syncScenario(opts: { dir: string; trials: number; killWithinMs?: readonly [number, number] }): Scenario {
  const dataDir = join(opts.dir, 'sync-ws');
  const acked = new AcknowledgedRedemptions();
  let p: Platform | null = null;
  let server: ServerProc | null = null;
  let station: Station | null = null;
  let bundle: string | undefined;
  let next = 0;
  const notes: string[] = [];
  let syncs = 0;
  let killedInSync = 0;

  /** sync.now again and again until the core stops (busy and unreachable answers are part of the game). */
  async function syncLoop(s: Station): Promise<void> {
    for (;;) {
      const o = await s.core.connection.call('sync.now', {});
      if (!o.ok && o.error.code === 'core.stopped') {
        killedInSync++;
        return;
      }
      syncs++;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  return {
    name: 'during syncs',
    trials: opts.trials,
    killWithinMs: opts.killWithinMs ?? [50, 2000],
    async setUp() {
      p = await makePlatform(join(opts.dir, 'platform'), { vouchers: opts.trials * PER_TRIAL });
      bundle = p.bundles.B01;
      server = await startServer(p);
    },
    async restart() {
      station = await startStation(dataDir, bundle);
      bundle = undefined;
      const t = await acked.check(station.core, dataDir);
      return { ...t, notes: [...(t.notes ?? []), ...notes.splice(0)] };
    },
    async work() {
      const s = station!;
      const texts = () => p!.vouchers[next++];
      return { victim: s.core, running: Promise.all([acked.stream(s.core, texts, notes), syncLoop(s)]) };
    },
    async finish() {
      const s = station!;
      const out: Partial<Tally> = { notes: [] };
      let st = await s.call<SyncStatus>('sync.status', {});
      const end = Date.now() + DRAIN_MS;
      while (st.waiting !== 0 && Date.now() < end) {
        await s.core.connection.call('sync.now', {});
        st = await s.call<SyncStatus>('sync.status', {});
        if (st.waiting !== 0) await new Promise((r) => setTimeout(r, 200));
      }
      if (st.waiting !== 0) {
        out.broken = 1;
        out.notes!.push(`the outbox did not drain: ${st.waiting} events still waiting after ${DRAIN_MS / 1000} s`);
      }
      const held = serverHolds(p!, acked.eventIds);
      out.lost = held.missing;
      out.doubles = held.doubles + held.notStored;
      out.notes!.push(`server: ${acked.eventIds.length - held.missing} of ${acked.eventIds.length} acknowledged events held once, ${held.notStored} of them not stored as first; ${syncs} sync.now calls answered, ${killedInSync} kills while one was under way; outbox ${st.waiting === 0 ? 'drained' : 'NOT drained'}`);
      await s.core.stop();
      station = null;
      return out;
    },
    async tearDown() {
      if (station) await station.core.stop();
      await server?.kill();
    },
  };
}
