import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './errors';
import { writePrivateFileDurably } from './paths';

/**
 * The admin passphrase lockout: after FREE_TRIES wrong entries in a row every
 * further try waits, FIRST_WAIT seconds, doubling with each wrong entry after
 * that up to MAX_WAIT. While it waits every entry is refused, the right one
 * too, before the passphrase is even looked at. The count lives in a small
 * file in the data folder, outside the database: the passphrase is checked
 * before the encrypted database can be opened (db/key.ts) as well as after
 * (the key store). A restart does not reset it; a right entry does.
 */
export const FREE_TRIES = 5;
export const FIRST_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 15 * 60;

const FILE = 'admin-lockout.json';

interface LockoutState {
  /** Wrong entries in a row. */
  failures: number;
  /** Until when (ms since the epoch) every entry is refused; 0 when not locked. */
  until: number;
}

/** How long the wait is after this many wrong entries in a row (0 below the free tries). */
export function waitSeconds(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** Math.min(failures - FREE_TRIES, 20));
}

export class PassphraseLockout {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.file = join(dataDir, FILE);
  }

  private read(): LockoutState {
    let s: Partial<LockoutState> | null = null;
    try {
      s = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<LockoutState>;
    } catch {
      // none yet, or unreadable: no count (a damaged file never locks the admin out)
    }
    return { failures: Number(s?.failures) || 0, until: Number(s?.until) || 0 };
  }

  /** Throws admin.lockedOut, with the seconds left, while entries are refused. */
  check(): void {
    const { failures, until } = this.read();
    const now = this.clock();
    if (until <= now) return;
    // A clock set back must not lock the admin out for longer than the longest wait.
    const left = Math.min(Math.ceil((until - now) / 1000), waitSeconds(failures) || MAX_WAIT_SECONDS);
    throw new UserError('admin.lockedOut', `Too many wrong admin passphrases: try again in ${left} s.`, { seconds: left });
  }

  /** A wrong entry: counts it and, from the free tries on, starts the wait. */
  failed(): void {
    const failures = this.read().failures + 1;
    const wait = waitSeconds(failures);
    writePrivateFileDurably(this.file, JSON.stringify({ failures, until: wait ? this.clock() + wait * 1000 : 0 } satisfies LockoutState));
  }

  /** A right entry: the count starts again. */
  succeeded(): void {
    if (this.read().failures !== 0) rmSync(this.file, { force: true });
  }
}
