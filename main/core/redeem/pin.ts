import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/open';

/** Wrong PINs allowed before a voucher is locked on this workstation, and for how long. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 15 * 60 * 1000;

export function pinMatches(jti: string, pin: string, expected: string): boolean {
  const got = createHash('sha256').update(`${jti}:${pin}`, 'utf8').digest();
  let want: Buffer;
  try {
    want = Buffer.from(expected, 'base64url');
  } catch {
    return false;
  }
  return want.length === got.length && timingSafeEqual(got, want);
}

/** What the PIN check says about a voucher that has a PIN. */
export type PinCheck =
  | { ok: true }
  | { ok: false; missing: true }
  | { ok: false; missing?: undefined; triesLeft: number; lockedUntil?: number };

/**
 * The wrong PINs typed for each voucher on this workstation (docs/spec/voucher-format.md §6
 * step 9): after PIN_MAX_FAILURES the voucher is locked for PIN_LOCK_MS. Call inside
 * the redemption's transaction.
 */
export class PinAttempts {
  private readonly row;
  private readonly fail;
  private readonly clear;

  constructor(db: Db) {
    this.row = db.prepare<[string, string], { failures: number; locked_until: number | null }>(
      'SELECT failures, locked_until FROM pin_attempts WHERE iss = ? AND jti = ?',
    );
    this.fail = db.prepare(
      `INSERT INTO pin_attempts (iss, jti, failures, locked_until) VALUES (@iss, @jti, 1, NULL)
       ON CONFLICT(iss, jti) DO UPDATE SET
         failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failures + 1 END) >= @max THEN @now + @lock
           ELSE NULL END`,
    );
    this.clear = db.prepare('DELETE FROM pin_attempts WHERE iss = ? AND jti = ?');
  }

  /** Checks the typed PIN against the voucher's hash; a wrong one is counted, a right one forgets the wrong ones. */
  check(v: { iss: string; jti: string }, pin: string | undefined, expected: string, nowMs: number): PinCheck {
    const attempts = this.row.get(v.iss, v.jti);
    if (attempts?.locked_until && attempts.locked_until > nowMs) return { ok: false, triesLeft: 0, lockedUntil: attempts.locked_until };
    if (pin === undefined || pin === '') return { ok: false, missing: true };
    if (!pinMatches(v.jti, pin, expected)) {
      this.fail.run({ iss: v.iss, jti: v.jti, now: nowMs, max: PIN_MAX_FAILURES, lock: PIN_LOCK_MS });
      const after = this.row.get(v.iss, v.jti)!;
      const locked = after.locked_until !== null && after.locked_until > nowMs;
      return locked ? { ok: false, triesLeft: 0, lockedUntil: after.locked_until! } : { ok: false, triesLeft: PIN_MAX_FAILURES - after.failures };
    }
    this.clear.run(v.iss, v.jti);
    return { ok: true };
  }

  /** Admin: forget the wrong PINs of a voucher on this workstation. */
  forget(iss: string, jti: string): void {
    this.clear.run(iss, jti);
  }
}
