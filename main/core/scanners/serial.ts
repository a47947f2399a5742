/**
 * A scanner on a serial port (RS-232, USB-serial adapter, USB CDC), read by
 * the core with the real `serialport` binding.
 *
 * It opens the configured port, turns its bytes into codes (framing.ts), and
 * hands each code to `onCode`. When the device goes away (unplugged: `close`
 * with `disconnected`) or cannot be opened, it says why in its state and tries
 * again with a growing delay, so plugging the scanner back in is enough.
 *
 * Never logs code text; logs name the port, the state and the reason only.
 */
import type { SerialPort as SerialPortClass } from 'serialport';
import { codeSummary, type ScannerReason, type ScannerState, type SerialConfig } from '../../../preload/api/scanners';
import type { Logger } from '../log';
import { Framer } from './framing';

/** Reconnect delays: quick at first (a scanner re-plugged at once), then every few seconds. */
export const RETRY_MS = [200, 400, 800, 1600, 3000];

/** Maps an open/read error of the binding to a reason the screen explains. */
export function reasonOf(e: unknown): ScannerReason {
  const msg = e instanceof Error ? e.message : String(e);
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'EACCES' || code === 'EPERM' || /permission denied|operation not permitted|access is denied/i.test(msg)) return 'permissionDenied';
  if (code === 'ENOENT' || /no such file|cannot find|file not found|not found/i.test(msg)) return 'notFound';
  if (code === 'EBUSY' || /cannot lock port|resource temporarily unavailable|resource busy|in use/i.test(msg)) return 'busy';
  return 'openFailed';
}

export interface SerialScannerOptions {
  log: Logger;
  onCode(text: string): void;
  onState(state: ScannerState): void;
}

export class SerialScanner {
  private config: SerialConfig | null = null;
  private port: SerialPortClass | null = null;
  private framer: Framer | null = null;
  /** Bumped on every (re)configuration and stop: callbacks of an older port are ignored. */
  private gen = 0;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  private ignoredBefore = 0;
  private seq = 0;
  private current: ScannerState = { source: 'serial', state: 'off', ignoredBytes: 0, codes: 0, seq: 0 };

  constructor(private readonly opts: SerialScannerOptions) {}

  state(): ScannerState {
    return { ...this.current, ignoredBytes: this.ignoredBefore + (this.framer?.ignoredBytes ?? 0), seq: this.seq };
  }

  /** Applies a configuration: closes the port in use and, when enabled, opens the configured one. */
  configure(config: SerialConfig): void {
    this.config = { ...config };
    this.gen++;
    this.clearRetry();
    this.attempt = 0;
    // Said at once, so the answer to the settings change already shows it.
    if (this.config.enabled && this.config.path) this.setState({ state: 'connecting', path: this.config.path });
    void this.closePort().then(() => {
      if (!this.config?.enabled) return this.setState({ state: 'off' });
      if (!this.config.path) return this.setState({ state: 'error', reason: 'noPort' });
      void this.open(this.gen);
    });
  }

  /** Closes the port for good (the core is stopping). */
  async stop(): Promise<void> {
    this.gen++;
    this.clearRetry();
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = null;
    await this.closePort();
  }

  private async open(gen: number): Promise<void> {
    const config = this.config;
    if (!config || gen !== this.gen) return;
    this.setState({ state: 'connecting', path: config.path });
    let SerialPort: typeof SerialPortClass;
    try {
      ({ SerialPort } = await import('serialport'));
    } catch {
      this.opts.log.error('serial binding missing', {});
      return this.setState({ state: 'error', reason: 'openFailed', path: config.path });
    }
    if (gen !== this.gen) return;
    const port = new SerialPort({
      path: config.path,
      baudRate: config.baudRate,
      dataBits: config.dataBits,
      parity: config.parity,
      stopBits: config.stopBits,
      autoOpen: false,
      lock: true,
    });
    const framer = new Framer(config, (text) => this.code(gen, text));
    port.on('data', (chunk: Buffer) => {
      if (gen !== this.gen) return;
      const before = framer.ignoredBytes;
      framer.push(chunk);
      if (framer.ignoredBytes !== before) this.noiseChanged();
    });
    port.on('error', (err: Error) => {
      if (gen !== this.gen) return;
      this.opts.log.warn('serial error', { path: config.path, reason: reasonOf(err) });
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (gen !== this.gen || this.port !== port) return;
      this.detach();
      const reason: ScannerReason = err?.disconnected ? 'disconnected' : err ? reasonOf(err) : 'disconnected';
      this.opts.log.info('serial closed', { path: config.path, reason });
      this.retry(gen, reason);
    });
    port.open((err) => {
      if (gen !== this.gen) {
        if (!err) port.close(() => undefined);
        return;
      }
      if (err) {
        const reason = reasonOf(err);
        this.opts.log.info('serial open failed', { path: config.path, reason, attempt: this.attempt });
        this.retry(gen, reason);
        return;
      }
      this.port = port;
      this.framer = framer;
      this.attempt = 0;
      this.opts.log.info('serial connected', { path: config.path, baudRate: config.baudRate, frameEnd: config.frameEnd });
      this.setState({ state: 'connected', path: config.path });
    });
  }

  private code(gen: number, text: string): void {
    if (gen !== this.gen) return;
    const at = Date.now();
    this.opts.onCode(text);
    this.current = { ...this.current, codes: (this.current.codes ?? 0) + 1, lastCodeAt: at, lastCode: codeSummary(text, at) };
    this.publish();
  }

  /** Noise is reported, but at most a few times a second (a noisy line must not flood the page). */
  private noiseChanged(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.publish();
    }, 250);
  }

  private retry(gen: number, reason: ScannerReason): void {
    if (gen !== this.gen) return;
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)]!;
    this.attempt++;
    // The device is absent (unplugged, not there yet): waiting for it. Anything else is an error to fix, still retried.
    const state = reason === 'disconnected' || reason === 'notFound' ? 'waiting' : 'error';
    this.setState({ state, reason, path: this.config?.path ?? '', retryAt: Date.now() + delay });
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open(gen);
    }, delay);
  }

  private detach(): void {
    if (this.framer) {
      this.framer.reset();
      this.ignoredBefore += this.framer.ignoredBytes;
    }
    this.framer = null;
    this.port = null;
  }

  private closePort(): Promise<void> {
    const port = this.port;
    this.detach();
    if (!port || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(s: Omit<ScannerState, 'source' | 'seq'>): void {
    const { codes, lastCodeAt, lastCode } = this.current;
    this.current = { source: 'serial', ...s, codes: codes ?? 0, seq: 0 };
    if (lastCodeAt !== undefined) this.current.lastCodeAt = lastCodeAt;
    if (lastCode !== undefined) this.current.lastCode = lastCode;
    if (s.state !== 'connecting') this.opts.log.info('serial state', { state: s.state, ...(s.reason ? { reason: s.reason } : {}) });
    this.publish();
  }

  private publish(): void {
    // Time-based, so a restarted core process still counts up from what the page saw.
    this.seq = Math.max(this.seq + 1, Date.now() * 1000);
    this.opts.onState(this.state());
  }
}
