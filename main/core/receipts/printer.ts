/**
 * The receipt printer of this workstation: its settings, the slips it prints
 * and the last one kept for a reprint.
 *
 * Printing follows a recorded redemption and never stands in its way: the
 * "always" policy prints after the ledger has committed, asynchronously, and a
 * failure is logged (by code, never by content) and told to the page as a
 * `printer.result` event; the redemption stays recorded. The last slip is kept
 * as its lines (shop, product, counts, names, a short reference), never the
 * voucher's text or full id.
 */
import type { CallError, EventName, EventPayloads } from '../../../preload/contract';
import type { DaySlipSummary, PrintResult, PrinterConfig, PrinterStatus, Printed, ShiftSlipSummary } from '../../../preload/api/printer';
import { UserError, isUserError } from '../errors';
import type { EventRow } from '../ledger/rows';
import type { Logger } from '../log';
import type { Settings } from '../settings';
import { daySlip, redemptionSlip, shiftSlip, testSlip, type SlipOptions, type SlipPlace } from './compose';
import { encodeSlip } from './escpos';
import type { Slip } from './slip';
import { deliver } from './transports';

export const DEFAULT_PRINTER: PrinterConfig = {
  kind: 'none',
  path: '',
  baudRate: 9600,
  host: '',
  port: 9100,
  osName: '',
  paper: 58,
  language: 'en',
  afterRedemption: 'never',
};

const CONFIG_KEY = 'printer';
const LAST_KEY = 'printer.last';

interface LastSlip extends Slip {
  at: number;
}

export interface PrinterDeps {
  settings: Settings;
  log: Logger;
  ledger: { event(id: string): EventRow | null; voucher(iss: string, jti: string): { face: number; used: number } | null };
  productName(sku: string | null): string | null;
  place(): SlipPlace;
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void;
  /** The time zone slips are written in (the workstation's unless given). */
  timeZone?: string | undefined;
}

export class ReceiptPrinter {
  private last: LastSlip | null;
  private lastResult: PrintResult | null = null;

  constructor(private readonly deps: PrinterDeps) {
    this.last = deps.settings.getJson<LastSlip>(LAST_KEY);
  }

  config(): PrinterConfig {
    const stored = this.deps.settings.getJson<Partial<PrinterConfig>>(CONFIG_KEY) ?? {};
    const language = this.deps.settings.get('locale') === 'zh-CN' ? 'zh-CN' : DEFAULT_PRINTER.language;
    return { ...DEFAULT_PRINTER, language, ...stored };
  }

  status(): PrinterStatus {
    return { config: this.config(), last: this.last ? { title: this.last.title, at: this.last.at } : null, lastResult: this.lastResult };
  }

  configure(patch: Partial<PrinterConfig>): PrinterStatus {
    this.deps.settings.setJson(CONFIG_KEY, { ...this.config(), ...patch });
    return this.status();
  }

  private options(): SlipOptions {
    const c = this.config();
    return { paper: c.paper, language: c.language, timeZone: this.deps.timeZone };
  }

  /** Encodes and sends a slip; it is kept for a reprint first, so a failed print can be reprinted. */
  async print(slip: Slip, keep = true): Promise<Printed> {
    const config = this.config();
    if (config.kind === 'none') throw new UserError('printer.notConfigured', 'No receipt printer is set up: choose one in Settings.');
    if (keep) {
      this.last = { ...slip, at: Date.now() };
      this.deps.settings.setJson(LAST_KEY, this.last);
    }
    const bytes = encodeSlip(slip, config.paper);
    await deliver(config, bytes);
    this.deps.log.info('slip printed', { kind: config.kind, bytes: bytes.length });
    return { title: slip.title, bytes: bytes.length };
  }

  test(): Promise<Printed> {
    return this.print(testSlip(this.deps.place(), Date.now(), this.options()), false);
  }

  printLast(): Promise<Printed> {
    if (!this.last) throw new UserError('printer.nothingToReprint', 'No slip has been printed yet on this workstation.');
    return this.print(this.last, false);
  }

  /** The slip of a recorded redemption (what is left is read from the ledger now). */
  redemptionSlip(eventId: string, reprint = false): Slip {
    const e = this.deps.ledger.event(eventId);
    if (!e) throw new UserError('ledger.unknownEvent', 'There is no such redemption on this workstation.');
    if (e.type !== 'redemption') throw new UserError('ledger.notARedemption', 'This is not a redemption.');
    const v = e.iss && e.jti ? this.deps.ledger.voucher(e.iss, e.jti) : null;
    const place = this.deps.place();
    return redemptionSlip(
      {
        ...place,
        branch: place.branch ?? e.branch,
        device: e.device,
        eventId: e.id,
        at: e.at,
        cashier: e.cashier,
        kind: e.kind ?? 'item',
        product: this.deps.productName(e.sku) ?? e.sku,
        units: e.units,
        amount: e.amount,
        cur: e.cur,
        left: v ? Math.max(0, v.face - v.used) : null,
        reprint,
      },
      this.options(),
    );
  }

  printRedemption(eventId: string): Promise<Printed> {
    return this.print(this.redemptionSlip(eventId));
  }

  printShift(summary: ShiftSlipSummary): Promise<Printed> {
    return this.print(shiftSlip({ ...this.deps.place(), ...summary }, this.options()));
  }

  printDay(summary: DaySlipSummary): Promise<Printed> {
    return this.print(daySlip({ ...this.deps.place(), ...summary }, this.options()));
  }

  /**
   * A ledger event was appended: with the "always" policy, a local redemption
   * is printed, later, never in the way of the verdict; the page hears how it went.
   */
  afterAppended(e: EventRow): void {
    if (e.remote || e.type !== 'redemption') return;
    const config = this.config();
    if (config.afterRedemption !== 'always' || config.kind === 'none') return;
    setImmediate(() => {
      const tell = (result: PrintResult) => {
        this.lastResult = result;
        this.deps.emit('printer.result', result);
      };
      this.printRedemption(e.id).then(
        () => tell({ eventId: e.id, ok: true }),
        (err: unknown) => {
          const error: CallError = isUserError(err) ? err.toCallError() : { code: 'core.internal', message: 'The slip was not printed.' };
          this.deps.log.warn('slip not printed', { code: error.code });
          tell({ eventId: e.id, ok: false, error });
        },
      );
    });
  }
}
