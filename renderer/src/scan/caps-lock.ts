/**
 * A keyboard-wedge scanner "types" a code as key presses, holding Shift for
 * capitals. With Caps Lock on, Shift gives lower case and the plain keys upper
 * case, so every letter of the code arrives with its case flipped (digits and
 * symbols, Shift+5 = `%` included, are not affected). A voucher's prefix
 * (`GBV1:`, `GBV2:`) is upper case, so a scan that starts with it in lower
 * case was typed with Caps Lock on: flipping every letter back gives the code
 * exactly as printed. For GBV2 (Base45: upper case only) that is simply upper
 * case; for GBV1 (base64url, both cases) it is the exact inverse.
 *
 * Any other text is returned unchanged: a person's typing, or a code that is
 * not a voucher, is never rewritten.
 */
const INVERTED_PREFIX = /^gbv[12]:/;

export function undoCapsLock(text: string): string {
  if (!INVERTED_PREFIX.test(text)) return text;
  return text.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
}
