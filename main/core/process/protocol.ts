/**
 * Messages between a parent (Electron main, browser host, tests) and the core
 * process. Only the few lines that move these messages differ between an
 * Electron utilityProcess (process.parentPort) and a Node child (process.send).
 */
import type { CallError, CallOutcome, EventName } from '../../../preload/contract';

/** Secrets the core asks its parent to protect with the OS keychain (Electron safeStorage). */
export type OsOp = 'protect' | 'unprotect' | 'available';

export type ToCore =
  | { t: 'call'; id: number; name: string; input: unknown }
  | { t: 'os-result'; id: number; ok: true; data: string }
  | { t: 'os-result'; id: number; ok: false; error: string }
  | { t: 'shutdown' };

export type FromCore =
  | { t: 'ready'; pid: number }
  | { t: 'result'; id: number; outcome: CallOutcome<unknown> }
  | { t: 'event'; name: EventName; payload: unknown }
  | { t: 'os'; id: number; op: OsOp; data: string }
  | { t: 'fatal'; error: CallError };

/** How a parent answers the core's OS requests; data is base64 both ways. */
export interface OsServices {
  protect(plain: Buffer): Promise<Buffer>;
  unprotect(blob: Buffer): Promise<Buffer>;
  available(): boolean;
}

/**
 * The parent's side of the connection, independent of the transport: it keeps
 * the pending calls, answers OS requests, and fans out events.
 */
export class CoreConnection {
  private nextId = 1;
  private readonly pending = new Map<number, (o: CallOutcome<unknown>) => void>();
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>();
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));
  private closedError: CallError | null = null;

  constructor(
    private readonly send: (msg: ToCore) => void,
    private readonly os: OsServices | null = null,
  ) {}

  /** Feed every message that arrives from the core here. */
  receive(msg: FromCore): void {
    switch (msg.t) {
      case 'ready':
        this.readyResolve();
        break;
      case 'result': {
        const done = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        done?.(msg.outcome);
        break;
      }
      case 'event':
        for (const fn of this.listeners) fn(msg.name, msg.payload);
        break;
      case 'os':
        void this.answerOs(msg.id, msg.op, msg.data);
        break;
      case 'fatal':
        this.closed(msg.error);
        break;
    }
  }

  /** The core went away: fail whatever is waiting. */
  closed(error: CallError = { code: 'core.stopped', message: 'The core process stopped' }): void {
    this.closedError = error;
    for (const done of this.pending.values()) done({ ok: false, error });
    this.pending.clear();
  }

  call(name: string, input: unknown): Promise<CallOutcome<unknown>> {
    if (this.closedError) return Promise.resolve({ ok: false, error: this.closedError });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ t: 'call', id, name, input });
    });
  }

  onEvent(fn: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async answerOs(id: number, op: OsOp, data: string): Promise<void> {
    try {
      if (!this.os) throw new Error('No OS keychain in this host');
      let out: Buffer;
      if (op === 'available') out = Buffer.from(this.os.available() ? '1' : '0');
      else if (op === 'protect') out = await this.os.protect(Buffer.from(data, 'base64'));
      else out = await this.os.unprotect(Buffer.from(data, 'base64'));
      this.send({ t: 'os-result', id, ok: true, data: out.toString('base64') });
    } catch (e) {
      this.send({ t: 'os-result', id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
