/**
 * The redemptions the core acknowledged (answered VALID) before a kill, and
 * the check after each restart: every one still in the ledger, no voucher
 * redeemed twice, a re-scan of an acknowledged voucher refused as already
 * redeemed, and the database whole. Shared by the redemption and sync soaks.
 */
import type { CoreChild } from '../../main/host/core-child';
import type { Tally } from './driver';
import { readLedger } from './inspect';

interface Acked {
  eventId: string;
  text: string;
}

export class AcknowledgedRedemptions {
  private readonly acked: Acked[] = [];
  private sinceCheck = 0;
  private readonly reportedMissing = new Set<string>();
  private reportedDoubles = 0;

  constructor(private readonly random: () => number = Math.random) {}

  get eventIds(): string[] {
    return this.acked.map((a) => a.eventId);
  }

  /**
   * Redeems vouchers one after the other on `core` until it stops or `texts`
   * runs out; records each VALID answer. Any other answer to a fresh voucher
   * is noted (it should not happen).
   */
  async stream(core: CoreChild, texts: () => string | undefined, notes: string[]): Promise<void> {
    for (let text = texts(); text !== undefined; text = texts()) {
      const o = await core.connection.call('voucher.redeem', { text });
      if (!o.ok) {
        if (o.error.code === 'core.stopped') return;
        notes.push(`a fresh voucher was answered ${o.error.code}`);
        continue;
      }
      const r = o.value as { verdict: string; event?: { id: string } };
      if (r.verdict === 'VALID' && r.event) {
        this.acked.push({ eventId: r.event.id, text });
        this.sinceCheck++;
      } else notes.push(`a fresh voucher was answered ${r.verdict}`);
    }
  }

  /** After a restart: re-scans the last few acknowledged vouchers and two older ones, then reads the ledger. */
  async check(core: CoreChild, dataDir: string): Promise<Partial<Tally>> {
    const notes: string[] = [];
    const recent = this.acked.slice(this.acked.length - Math.min(this.sinceCheck, 4));
    const older = this.acked.length > 0 ? [0, 1].map(() => this.acked[Math.floor(this.random() * this.acked.length)]!) : [];
    let broken = 0;
    for (const a of [...recent, ...older]) {
      const o = await core.connection.call('voucher.redeem', { text: a.text });
      const verdict = o.ok ? (o.value as { verdict: string }).verdict : o.error.code;
      // VALID shows up below as a double in the ledger; anything else but a refusal is a failure of its own.
      if (verdict !== 'ALREADY_REDEEMED' && verdict !== 'VALID') {
        broken++;
        notes.push(`a re-scan of an acknowledged voucher was answered ${verdict}`);
      }
    }
    const ledger = await readLedger(dataDir);
    const missing = this.acked.filter((a) => !ledger.eventIds.has(a.eventId) && !this.reportedMissing.has(a.eventId));
    for (const m of missing) this.reportedMissing.add(m.eventId);
    const doubles = ledger.doubles - this.reportedDoubles;
    this.reportedDoubles = ledger.doubles;
    if (ledger.integrity !== 'ok') {
      broken++;
      notes.push(`integrity_check: ${ledger.integrity.slice(0, 200)}`);
    }
    const acknowledged = this.sinceCheck;
    this.sinceCheck = 0;
    return { acknowledged, lost: missing.length, doubles, broken, notes };
  }
}
