/**
 * `npm run bench -- --only formats`: GBV1 and GBV2 side by side, for a
 * typical voucher of each kind (Ed25519 issuer, X25519 merchant key, minted
 * with the issuer tool's minters): its length, its QR version at level M
 * (GBV2 in alphanumeric mode, as the issuer prints it), and what the length
 * costs at the counter.
 *
 * These figures are COMPUTED from the length, not timed:
 * - wire time of a serial scanner: (length + CR) × 10 bits (8N1) / baud;
 * - typing time of a keyboard-wedge scanner at 1 and 2 ms a character (what
 *   common USB HID scanners do by default: one key report a character, key
 *   down and up, 1 ms USB polling). No inter-scan overhead is modelled: the
 *   scanner's own decode time (tens of ms) comes on top for both formats.
 * The serial benchmark (`--only serial`) measures the wire time through a
 * pty paced at 9600 baud.
 */
import { CLAIM_KINDS, claimsFor, qrVersion, type ClaimKind } from '../server/issuer/mint';
import { minterFor, type VoucherFormat } from '../server/issuer/format';
import { fmt, makeParties, note, section, stats, table } from './lib';

/** Seconds on the wire for `chars` characters plus a CR, at 8N1 (10 bits a character). */
export const wireSeconds = (chars: number, baud: number): number => ((chars + 1) * 10) / baud;

export interface FormatRow {
  kind: ClaimKind;
  format: VoucherFormat;
  chars: number;
  qrVersion: number;
  modules: number;
  wire9600Ms: number;
  wire115200Ms: number;
  typed1msMs: number;
  typed2msMs: number;
}

export interface FormatFigures {
  rows: FormatRow[];
  /** Over every kind and sample: min–max per format. */
  range: Record<VoucherFormat, { chars: [number, number]; qrVersion: [number, number] }>;
  target: { gbv2MaxChars: number; gbv2MaxVersion: number; met: boolean };
}

const FORMATS: VoucherFormat[] = ['gbv1', 'gbv2'];

export async function runFormats(opts: { quick: boolean }): Promise<FormatFigures> {
  const samples = opts.quick ? 3 : 20;
  section(`Voucher formats side by side: length, QR version at level M, wire and typing time (computed; ${samples} vouchers of each kind, median length)`);
  const { platform, merchant } = await makeParties({ enc: 'X25519', sign: 'EdDSA', tag: 'formats' });
  const minters = Object.fromEntries(FORMATS.map((f) => [f, minterFor(f, platform, merchant.encryption.publicJwk)])) as Record<VoucherFormat, ReturnType<typeof minterFor>>;
  const rows: FormatRow[] = [];
  const all: Record<VoucherFormat, { chars: number[]; versions: number[] }> = { gbv1: { chars: [], versions: [] }, gbv2: { chars: [], versions: [] } };
  for (const kind of CLAIM_KINDS) {
    for (const format of FORMATS) {
      const lengths: number[] = [];
      const versions: number[] = [];
      for (let i = 0; i < samples; i++) {
        const claims = claimsFor(kind, { iss: platform.iss, mid: merchant.id, sku: `SKU-${100 + i}`, ...(kind === 'campaign' ? { cmp: 'SPRING26' } : {}), ...(kind === 'shared' ? { shr: 's' } : {}) });
        const text = await minters[format].mint(claims);
        lengths.push(text.length);
        versions.push(qrVersion(text));
      }
      all[format].chars.push(...lengths);
      all[format].versions.push(...versions);
      const chars = stats(lengths).p50;
      const v = stats(versions).max;
      rows.push({
        kind,
        format,
        chars,
        qrVersion: v,
        modules: 17 + 4 * v,
        wire9600Ms: wireSeconds(chars, 9600) * 1000,
        wire115200Ms: wireSeconds(chars, 115200) * 1000,
        typed1msMs: chars * 1,
        typed2msMs: chars * 2,
      });
    }
  }
  table(
    'a typical voucher of each kind (Ed25519 issuer, X25519 merchant key); times COMPUTED from the length',
    ['kind', 'format', 'chars', 'QR version (M)', 'modules', 'wire 9600 ms', 'wire 115200 ms', 'typed 1 ms/char', 'typed 2 ms/char'],
    rows.map((r) => [r.kind, r.format.toUpperCase(), String(r.chars), String(r.qrVersion), `${r.modules}×${r.modules}`, fmt(r.wire9600Ms, 0), fmt(r.wire115200Ms, 1), fmt(r.typed1msMs, 0), fmt(r.typed2msMs, 0)]),
  );
  const range = Object.fromEntries(
    FORMATS.map((f) => [f, { chars: [Math.min(...all[f].chars), Math.max(...all[f].chars)], qrVersion: [Math.min(...all[f].versions), Math.max(...all[f].versions)] }]),
  ) as FormatFigures['range'];
  const span = (a: [number, number], unit = '') => (a[0] === a[1] ? `${a[0]}${unit}` : `${a[0]}–${a[1]}${unit}`);
  const secs = (f: VoucherFormat, per: (c: number) => number) => `${fmt(per(range[f].chars[0]), 2)}–${fmt(per(range[f].chars[1]), 2)} s`;
  table('over every kind and sample', ['measure', 'GBV1', 'GBV2'], [
    ['characters', ...FORMATS.map((f) => span(range[f].chars))],
    ['QR version at level M', ...FORMATS.map((f) => span(range[f].qrVersion))],
    ['wire at 9600 baud (8N1)', ...FORMATS.map((f) => secs(f, (c) => wireSeconds(c, 9600)))],
    ['wire at 115200 baud (8N1)', ...FORMATS.map((f) => `${fmt(wireSeconds(range[f].chars[0], 115200) * 1000, 0)}–${fmt(wireSeconds(range[f].chars[1], 115200) * 1000, 0)} ms`)],
    ['keyboard wedge, 1–2 ms a character', ...FORMATS.map((f) => `${fmt(range[f].chars[0] / 1000, 2)}–${fmt((2 * range[f].chars[1]) / 1000, 2)} s`)],
  ]);
  const met = range.gbv2.chars[1] <= 380 && range.gbv2.qrVersion[1] <= 12;
  note(
    `TARGET: a typical GBV2 voucher ≤ 380 characters, QR version ≤ 12 at level M: ${span(range.gbv2.chars)} characters, version ${span(range.gbv2.qrVersion)} — ${met ? 'MET' : 'NOT MET'}.\n` +
      'Wire time = (characters + CR) × 10 bits / baud; typing time = characters × 1 or 2 ms (no per-scan overhead modelled: the\n' +
      "scanner's own decode time comes on top for both formats). Measured wire time through a paced pty: --only serial.",
  );
  return { rows, range, target: { gbv2MaxChars: 380, gbv2MaxVersion: 12, met } };
}
