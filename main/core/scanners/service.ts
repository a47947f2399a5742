/**
 * The scanners' settings (one JSON value in the settings table) and the serial
 * reader built from them. Choosing a port does not need the admin: the reader
 * only feeds codes into the same verify-and-redeem a typed scan goes through,
 * and a cashier must be able to fix a scanner at the counter.
 */
import type { EventName, EventPayloads } from '../../../preload/contract';
import type { ScannerConfig, ScannersStatus } from '../../../preload/api/scanners';
import type { Logger } from '../log';
import type { Settings } from '../settings';
import { listPorts } from './ports';
import { SerialScanner } from './serial';

export const DEFAULT_SCANNER_CONFIG: ScannerConfig = {
  serial: {
    enabled: false,
    path: '',
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    frameEnd: 'CR',
    idleMs: 50,
    prefix: '',
    suffix: '',
  },
  wedge: { enabled: true, prefix: '', suffix: '' },
  feedback: { volume: 80, flash: true },
};

const KEY = 'scanners';

export interface ScannerPatch {
  serial?: Partial<ScannerConfig['serial']> | undefined;
  wedge?: Partial<ScannerConfig['wedge']> | undefined;
  feedback?: Partial<ScannerConfig['feedback']> | undefined;
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class ScannerService {
  private readonly serial: SerialScanner;
  private started = false;

  constructor(
    private readonly settings: Settings,
    private readonly log: Logger,
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void,
  ) {
    this.serial = new SerialScanner({
      log,
      onCode: (text) => emit('scanner.code', { source: 'serial', text }),
      onState: (state) => emit('scanner.state', state),
    });
  }

  config(): ScannerConfig {
    const stored = this.settings.getJson<Partial<ScannerConfig>>(KEY) ?? {};
    return {
      serial: { ...DEFAULT_SCANNER_CONFIG.serial, ...stored.serial },
      wedge: { ...DEFAULT_SCANNER_CONFIG.wedge, ...stored.wedge },
      feedback: { ...DEFAULT_SCANNER_CONFIG.feedback, ...stored.feedback },
    };
  }

  status(): ScannersStatus {
    return { config: this.config(), serial: this.serial.state() };
  }

  listPorts() {
    return listPorts();
  }

  /** Stores the changes; the serial reader reopens when its settings changed. */
  configure(patch: ScannerPatch): ScannersStatus {
    const old = this.config();
    const next: ScannerConfig = {
      serial: { ...old.serial, ...defined(patch.serial) },
      wedge: { ...old.wedge, ...defined(patch.wedge) },
      feedback: { ...old.feedback, ...defined(patch.feedback) },
    };
    this.settings.setJson(KEY, next);
    this.log.info('scanner settings', {
      serial: next.serial.enabled,
      path: next.serial.path,
      baudRate: next.serial.baudRate,
      frameEnd: next.serial.frameEnd,
      wedge: next.wedge.enabled,
    });
    if (this.started && JSON.stringify(old.serial) !== JSON.stringify(next.serial)) this.serial.configure(next.serial);
    return this.status();
  }

  /** Opens the configured serial port (the core process does this; the CLI and tests in-process do not). */
  start(): void {
    this.started = true;
    this.serial.configure(this.config().serial);
  }

  stop(): Promise<void> {
    this.started = false;
    return this.serial.stop();
  }
}
