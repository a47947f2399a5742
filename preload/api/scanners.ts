/**
 * Scanners: the serial (RS-232 / USB CDC) reader the core owns, the
 * keyboard-wedge options the renderer applies, and the counter feedback
 * (volume, full-screen flash). The webcam lives in the renderer.
 *
 * Every code a serial scanner reads is pushed to the page as `scanner.code`
 * and goes through the same verify-and-redeem as a typed scan; the core never
 * logs or stores its text.
 */
import { z } from 'zod';

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const DATA_BITS = [5, 6, 7, 8] as const;
export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const STOP_BITS = [1, 1.5, 2] as const;
/** How a code ends on the wire: a suffix the scanner sends, or silence for scanners with none. */
export const FRAME_ENDS = ['CR', 'LF', 'CRLF', 'idle'] as const;

export type FrameEnd = (typeof FRAME_ENDS)[number];
export type Parity = (typeof PARITIES)[number];

export interface SerialConfig {
  enabled: boolean;
  /** Device path (`/dev/ttyUSB0`, `COM3`); empty until one is chosen. */
  path: string;
  baudRate: (typeof BAUD_RATES)[number];
  dataBits: (typeof DATA_BITS)[number];
  parity: Parity;
  stopBits: (typeof STOP_BITS)[number];
  frameEnd: FrameEnd;
  /** Silence that ends a code with `frameEnd: 'idle'` (ms). */
  idleMs: number;
  /** Text the scanner is programmed to put before / after each code (removed). */
  prefix: string;
  suffix: string;
}

export interface WedgeConfig {
  /** Scanner bursts typed while focus is on a button or the page are redeemed. */
  enabled: boolean;
  prefix: string;
  suffix: string;
}

export interface FeedbackConfig {
  /** Sound volume, 0–100. */
  volume: number;
  /** A short full-screen flash of the verdict colour. */
  flash: boolean;
}

export interface ScannerConfig {
  serial: SerialConfig;
  wedge: WedgeConfig;
  feedback: FeedbackConfig;
}

export type ScannerStateName = 'off' | 'connecting' | 'connected' | 'waiting' | 'error';
/** Why a scanner is waiting or in error; each has a translated message and fix. */
export type ScannerReason = 'noPort' | 'notFound' | 'permissionDenied' | 'busy' | 'disconnected' | 'openFailed';

/** What the settings screen shows of the last code: never its text. */
export interface CodeSummary {
  length: number;
  kind: 'voucher' | 'other';
  /** For a voucher: its format, from its prefix. */
  format?: VoucherFormat;
  at: number;
}

export type VoucherFormat = 'GBV1' | 'GBV2';

export interface ScannerState {
  source: 'serial';
  state: ScannerStateName;
  reason?: ScannerReason;
  path?: string;
  /** Bytes dropped as not text (binary noise) since the reader started. */
  ignoredBytes?: number;
  /** Codes read since the reader started. */
  codes?: number;
  lastCodeAt?: number;
  lastCode?: CodeSummary;
  /** When the next reconnect attempt is due (ms since epoch), while waiting or in error. */
  retryAt?: number;
  /** Grows with every change: an answer that crossed a newer event on the way is older (keep the higher). */
  seq: number;
}

export interface PortInfo {
  path: string;
  /** Where a symlink (such as /dev/serial/by-id/…) points. */
  realPath?: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface PortList {
  ports: PortInfo[];
  /** True when the system listing failed (no udevadm) and the devices under /dev were listed instead. */
  fallback: boolean;
}

export interface ScannersStatus {
  config: ScannerConfig;
  serial: ScannerState;
}

const affix = z.string().max(32).regex(/^[^\r\n\0]*$/);

export const serialConfigInput = z
  .object({
    enabled: z.boolean(),
    path: z.string().max(256).regex(/^[^\0\r\n]*$/),
    baudRate: z.literal([...BAUD_RATES]),
    dataBits: z.literal([...DATA_BITS]),
    parity: z.enum(PARITIES),
    stopBits: z.literal([...STOP_BITS]),
    frameEnd: z.enum(FRAME_ENDS),
    idleMs: z.number().int().min(5).max(2000),
    prefix: affix,
    suffix: affix,
  })
  .strict();

export const scannersCalls = {
  'scanners.status': { input: z.object({}).strict() },
  'scanners.listPorts': { input: z.object({}).strict() },
  'scanners.configure': {
    input: z
      .object({
        serial: serialConfigInput.partial().optional(),
        wedge: z.object({ enabled: z.boolean(), prefix: affix, suffix: affix }).partial().strict().optional(),
        feedback: z.object({ volume: z.number().int().min(0).max(100), flash: z.boolean() }).partial().strict().optional(),
      })
      .strict(),
  },
} as const;

export interface ScannersResults {
  'scanners.status': ScannersStatus;
  'scanners.listPorts': PortList;
  'scanners.configure': ScannersStatus;
}

/** A voucher's format by its prefix, or undefined for any other code. */
export function voucherFormat(text: string): VoucherFormat | undefined {
  return text.startsWith('GBV1:') ? 'GBV1' : text.startsWith('GBV2:') ? 'GBV2' : undefined;
}

/** The kind of a code, for the "last code read" line ("GBV2 voucher, 347 chars"). */
export function codeKind(text: string): CodeSummary['kind'] {
  return voucherFormat(text) ? 'voucher' : 'other';
}

/** What the "last code read" line shows of a code: never its text. */
export function codeSummary(text: string, at: number): CodeSummary {
  const format = voucherFormat(text);
  return { length: text.length, kind: format ? 'voucher' : 'other', ...(format ? { format } : {}), at };
}

const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

/**
 * What a scanner adds around a code, removed: an AIM symbology identifier
 * (`]Q1`, `]d2`, …), the prefix and suffix it is programmed with, then
 * surrounding spaces. Scanners differ in where the AIM identifier goes (some
 * send prefix, AIM id, code; others AIM id, prefix, code): both orders are
 * removed, the identifier at most once. No voucher starts with `]`, and the
 * spaces inside a GBV2 code (Base45) are never touched. Shared by the serial
 * reader (core) and the keyboard wedge (renderer).
 */
export function stripAffixes(text: string, prefix: string, suffix: string): string {
  let t = text.trim();
  const aimFirst = AIM_ID.test(t);
  if (aimFirst) t = t.slice(3);
  if (prefix && t.startsWith(prefix)) t = t.slice(prefix.length);
  if (!aimFirst && AIM_ID.test(t)) t = t.slice(3);
  if (suffix && t.endsWith(suffix)) t = t.slice(0, t.length - suffix.length);
  return t.trim();
}
