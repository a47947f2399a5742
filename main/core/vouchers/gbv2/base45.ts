/**
 * Base45 (RFC 9285), strict: the text of a GBV2 voucher after its prefix
 * (docs/spec/voucher-format-v2.md §1). Decoding refuses everything that is not
 * a valid encoding (RFC 9285 §6): a character outside the alphabet (lower case
 * included), a length of 1 modulo 3, a group over 65535, a final pair over 255.
 * The npm Base45 packages accept some of these without a word, hence this file.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Character code → digit value, 255 for "not in the alphabet". */
const VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? VALUE[c]! : 255;
}

/** The bytes a Base45 text stands for, or null when it is not a valid encoding. */
export function decodeBase45(text: string): Uint8Array | null {
  const rest = text.length % 3;
  if (rest === 1) return null;
  const out = new Uint8Array(((text.length - rest) / 3) * 2 + (rest === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 <= text.length; i += 3) {
    const c = digit(text, i);
    const d = digit(text, i + 1);
    const e = digit(text, i + 2);
    if (c === 255 || d === 255 || e === 255) return null;
    const n = c + d * 45 + e * 2025;
    if (n > 0xffff) return null;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const c = digit(text, i);
    const d = digit(text, i + 1);
    if (c === 255 || d === 255) return null;
    const n = c + d * 45;
    if (n > 0xff) return null;
    out[o++] = n;
  }
  return out;
}

/** The Base45 text of some bytes (issuing and tests; the counter only decodes). */
export function encodeBase45(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 <= bytes.length; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!;
    s += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45) % 45]! + ALPHABET[Math.floor(n / 2025)]!;
  }
  if (i < bytes.length) {
    const n = bytes[i]!;
    s += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return s;
}
