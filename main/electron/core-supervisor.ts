/**
 * Keeps the core process running for the shell: starts it, relays calls and
 * events through a CoreConnection, fails pending calls when it dies, restarts
 * it once after an unexpected exit, and stops it cleanly at quit.
 *
 * The process itself is injected (core-host.ts passes an Electron
 * utilityProcess), so this logic is unit-tested with a fake under Node.
 */
import type { CallError, CallOutcome, EventName } from '../../preload/contract';
import { CoreConnection, type FromCore, type OsServices, type ToCore } from '../core/process/protocol';

/** The little we need from a child process. */
export interface CoreProcessLike {
  postMessage(msg: ToCore): void;
  kill(): boolean;
  onMessage(fn: (msg: FromCore) => void): void;
  onExit(fn: (code: number) => void): void;
}

export interface SupervisorOptions {
  spawn(): CoreProcessLike;
  os: OsServices | null;
  /** How many times an unexpected exit is followed by a restart (default 1). */
  maxRestarts?: number;
  /** Told about every unexpected exit, whether a restart follows, and the core's last fatal error if it sent one. */
  onUnexpectedExit?(info: { code: number; restarting: boolean; error: CallError | null }): void;
  /** How long `stop()` waits for a clean exit before killing (default 5 s). */
  stopTimeoutMs?: number;
}

interface Running {
  proc: CoreProcessLike;
  conn: CoreConnection;
  /** Resolves true once ready, false if the process exits first. */
  settled: Promise<boolean>;
  exited: Promise<void>;
}

const STOPPED = { code: 'core.stopped', message: 'The core process stopped' } as const;

function isFromCore(msg: unknown): msg is FromCore {
  return typeof msg === 'object' && msg !== null && typeof (msg as { t?: unknown }).t === 'string';
}

export class CoreSupervisor {
  private current: Running | null = null;
  private restarts = 0;
  private stopping = false;
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>();

  constructor(private readonly opts: SupervisorOptions) {}

  /** Starts the core; resolves true when it is ready, false if it exited first. */
  start(): Promise<boolean> {
    this.stopping = false;
    return this.launch().settled;
  }

  call(name: string, input: unknown): Promise<CallOutcome<unknown>> {
    const running = this.current;
    if (!running) return Promise.resolve({ ok: false, error: { ...STOPPED } });
    // Calls made while the core is still starting wait for it; if it dies
    // first, the closed connection answers them with core.stopped.
    return running.settled.then(() => running.conn.call(name, input));
  }

  /** Core events, across restarts. Returns an unsubscribe function. */
  onEvent(fn: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Asks the core to shut down, kills it if it does not, and resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = this.current;
    if (!running) return;
    try {
      running.proc.postMessage({ t: 'shutdown' });
    } catch {
      // Already gone.
    }
    const timeout = this.opts.stopTimeoutMs ?? 5000;
    const timedOut = await Promise.race([
      running.exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), timeout).unref?.()),
    ]);
    if (timedOut) {
      running.proc.kill();
      await Promise.race([running.exited, new Promise<void>((r) => setTimeout(r, 2000).unref?.())]);
    }
  }

  private launch(): Running {
    const proc = this.opts.spawn();
    const conn = new CoreConnection((msg) => proc.postMessage(msg), this.opts.os);
    let settle!: (ready: boolean) => void;
    let markExited!: () => void;
    const running: Running = {
      proc,
      conn,
      settled: new Promise<boolean>((r) => (settle = r)),
      exited: new Promise<void>((r) => (markExited = r)),
    };
    this.current = running;

    void conn.ready.then(() => settle(true));
    conn.onEvent((name, payload) => {
      for (const fn of this.listeners) fn(name, payload);
    });
    let fatal: CallError | null = null;
    proc.onMessage((msg) => {
      if (!isFromCore(msg)) return;
      if (msg.t === 'fatal') fatal = msg.error;
      conn.receive(msg);
    });
    proc.onExit((code) => {
      conn.closed(fatal ?? { ...STOPPED });
      settle(false);
      markExited();
      if (this.stopping || this.current !== running) return;
      const restarting = this.restarts < (this.opts.maxRestarts ?? 1);
      this.opts.onUnexpectedExit?.({ code, restarting, error: fatal });
      if (restarting) {
        this.restarts++;
        this.launch();
      }
    });
    return running;
  }
}
