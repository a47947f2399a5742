import { statSync } from 'node:fs';
import type { Db } from './open';

/**
 * WAL checkpoints between scans, not inside them. SQLite's automatic checkpoint
 * runs inside whichever COMMIT takes the WAL past 1000 pages, so one cashier's
 * redemption in a few hundred pays for copying and syncing everyone's pages.
 * Here automatic checkpoints are off for the core's connection, and a timer
 * checkpoints once no redemption has been in flight for `idleMs`; if the WAL
 * still grows past `maxWalBytes` (a long burst without a pause), it checkpoints
 * anyway so the file never grows without bound.
 */
export class IdleCheckpointer {
  private inFlight = 0;
  private lastActivity = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly walFile: string;

  constructor(
    private readonly db: Db,
    dbFile: string,
    private readonly opts: { idleMs: number; everyMs: number; maxWalBytes: number } = { idleMs: 250, everyMs: 500, maxWalBytes: 32 * 1024 * 1024 },
  ) {
    this.walFile = `${dbFile}-wal`;
    db.pragma('wal_autocheckpoint = 0');
    // When the WAL restarts after a checkpoint, SQLite cuts the file back to this size.
    db.pragma('journal_size_limit = 8388608');
    this.timer = setInterval(() => this.tick(), opts.everyMs);
    this.timer.unref();
  }

  /** Wraps work that must not wait for a checkpoint (a redemption). */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.lastActivity = Date.now();
    }
  }

  private walBytes(): number {
    try {
      return statSync(this.walFile).size;
    } catch {
      return 0;
    }
  }

  tick(): void {
    if (!this.db.open) return;
    const idle = this.inFlight === 0 && Date.now() - this.lastActivity >= this.opts.idleMs;
    if (!idle && this.walBytes() < this.opts.maxWalBytes) return;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy (another process is checkpointing or writing): the next tick tries again.
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
