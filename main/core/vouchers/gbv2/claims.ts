/**
 * GBV2 claims (docs/spec/voucher-format-v2.md §4) under their GBV1 names and in
 * their GBV1 JSON forms, so the ledger, the rules, the CRM and sync see one kind
 * of voucher. This file checks the CBOR types; the ranges are GBV1's, checked
 * afterwards by the same schema (vouchers/claims.ts).
 */

export type Kind = 'text' | 'uint' | 'knd' | 'pin' | 'texts' | 'shr';

/** Integer key → GBV1 name and the CBOR type the spec gives it (the issuer mints with the same table). */
export const CLAIMS: ReadonlyMap<number, readonly [string, Kind]> = new Map([
  [1, ['iss', 'text']],
  [2, ['sub', 'text']],
  [3, ['mid', 'text']],
  [4, ['exp', 'uint']],
  [5, ['nbf', 'uint']],
  [6, ['iat', 'uint']],
  [7, ['jti', 'text']],
  [8, ['sku', 'text']],
  [9, ['knd', 'knd']],
  [10, ['qty', 'uint']],
  [11, ['val', 'uint']],
  [12, ['cur', 'text']],
  [13, ['use', 'uint']],
  [14, ['pin', 'pin']],
  [15, ['cmp', 'text']],
  [16, ['ref', 'texts']],
  [17, ['shr', 'shr']],
  [18, ['lvl', 'uint']],
]);
const GBV1_NAMES = new Set([...CLAIMS.values()].map(([name]) => name));

/** `knd` and `shr` as GBV2 numbers them: the index in these lists. */
export const KINDS = ['item', 'value', 'gift'] as const;
export const SHARING = ['x', 's'] as const;

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A known claim's value in its GBV1 form, or undefined when its CBOR type is wrong. */
function known(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'text':
      return typeof v === 'string' ? v : undefined;
    case 'uint':
      return isUint(v) ? v : undefined;
    case 'knd':
      return isUint(v) ? KINDS[v] : undefined;
    case 'shr':
      return isUint(v) ? SHARING[v] : undefined;
    case 'pin':
      return v instanceof Uint8Array && v.length === 32 ? Buffer.from(v).toString('base64url') : undefined;
    case 'texts':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  }
}

/** Any CBOR value as JSON can hold it: bytes as base64url, maps as objects. */
function jsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64url');
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v as Map<unknown, unknown>) put(o, String(k), jsonValue(x));
    return o;
  }
  return v;
}

/** Sets a member even when its name is `__proto__`. */
function put(o: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The claims as GBV1 names them, or null when a known claim has the wrong CBOR
 * type or the payload is not a map. Unknown text keys are kept under their own
 * names, unknown integer keys under their decimal digits ("99"); a text key
 * that spells a GBV1 claim name, or an unknown key whose name is already
 * taken, is not kept: only the integer keys say what the claims are.
 */
export function claimsFromCbor(payload: unknown): Record<string, unknown> | null {
  if (!(payload instanceof Map)) return null;
  const out: Record<string, unknown> = {};
  const texts: [string, unknown][] = [];
  const numbers: [string, unknown][] = [];
  for (const [k, v] of payload as Map<unknown, unknown>) {
    const claim = typeof k === 'number' ? CLAIMS.get(k) : undefined;
    if (claim) {
      const value = known(claim[1], v);
      if (value === undefined) return null;
      put(out, claim[0], value);
    } else if (typeof k === 'string') {
      texts.push([k, v]);
    } else if (typeof k === 'number') {
      numbers.push([String(k), v]);
    }
    // Other key types (bytes, arrays, booleans…) carry nothing a workstation can name.
  }
  // Text keys first, so that a text key "99" keeps its name over the integer 99.
  for (const [name, v] of [...texts, ...numbers]) {
    if (GBV1_NAMES.has(name) || Object.prototype.hasOwnProperty.call(out, name)) continue;
    put(out, name, jsonValue(v));
  }
  return out;
}
