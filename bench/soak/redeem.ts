/**
 * Kills during redemptions: two streams of `voucher.redeem` on real minted
 * single-unit vouchers (GBV1, as a platform mints them), no server.
 */
import { join } from 'node:path';
import { makeTestIssuer } from '../../test/support/issuer';
import { startStation, type Station } from '../../test/sync/support';
import { AcknowledgedRedemptions } from './acknowledged';
import type { Scenario } from './driver';

/** Upper bound of redemptions one trial can make before its kill (the pool is minted up front). */
const PER_TRIAL = 160;

export function redemptionsScenario(opts: { dir: string; trials: number; killWithinMs?: readonly [number, number] }): Scenario {
  const dataDir = join(opts.dir, 'redeem');
  const acked = new AcknowledgedRedemptions();
  let pool: string[] = [];
  let next = 0;
  let station: Station | null = null;
  let bundle = '';
  const notes: string[] = [];
  return {
    name: 'during redemptions',
    trials: opts.trials,
    killWithinMs: opts.killWithinMs ?? [20, 600],
    async setUp() {
      const issuer = await makeTestIssuer();
      bundle = issuer.bundleJson;
      pool = [];
      for (let i = 0; i < opts.trials * PER_TRIAL; i++) pool.push((await issuer.mint('item', { qty: 1 })).text);
    },
    async restart() {
      station = await startStation(dataDir, bundle || undefined);
      bundle = '';
      const t = await acked.check(station.core, dataDir);
      return { ...t, notes: [...(t.notes ?? []), ...notes.splice(0)] };
    },
    async work() {
      const s = station!;
      const texts = () => pool[next++];
      return { victim: s.core, running: Promise.all([acked.stream(s.core, texts, notes), acked.stream(s.core, texts, notes)]) };
    },
    async finish() {
      await station?.core.stop();
      station = null;
      return {};
    },
    async tearDown() {
      if (station) await station.core.stop();
    },
  };
}
