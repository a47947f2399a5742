import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../main/core/vouchers/gbv2/base45';
import { CborError, decodeStrict } from '../../main/core/vouchers/gbv2/cbor';
import { claimsFromCbor } from '../../main/core/vouchers/gbv2/claims';
import { FIXTURES } from '../support/workstation';

// The non-cryptographic pieces of GBV2: Base45 against RFC 9285's examples,
// the strict CBOR rules one by one, and the claims under their GBV1 names.

describe('Base45 (RFC 9285)', () => {
  const rfc = JSON.parse(readFileSync(join(FIXTURES, 'published', 'rfc9285-base45.json'), 'utf8')) as {
    encode: { text: string; base45: string }[];
    decode: { text: string; base45: string }[];
  };
  for (const { text, base45 } of [...rfc.encode, ...rfc.decode]) {
    it(`"${text}" ⇄ "${base45}"`, () => {
      expect(encodeBase45(Buffer.from(text))).toBe(base45);
      expect(Buffer.from(decodeBase45(base45)!).toString()).toBe(text);
    });
  }

  it('round-trips every byte value and every length', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let n = 0; n <= 40; n++) expect(Buffer.from(decodeBase45(encodeBase45(all.subarray(0, n)))!).equals(all.subarray(0, n))).toBe(true);
    expect(Buffer.from(decodeBase45(encodeBase45(all))!).equals(all)).toBe(true);
  });

  it('refuses what is not a valid encoding (RFC 9285 §6)', () => {
    expect(decodeBase45('BB8')).not.toBeNull();
    expect(decodeBase45('bB8')).toBeNull(); // lower case is not in the alphabet
    expect(decodeBase45('BB#')).toBeNull();
    expect(decodeBase45('BB8\r\n')).toBeNull();
    expect(decodeBase45('BB8A')).toBeNull(); // length 1 modulo 3
    expect(decodeBase45('GGW')).toBeNull(); // 16 + 16·45 + 32·2025 = 65536
    expect(decodeBase45('FGW')).not.toBeNull(); // 65535
    expect(decodeBase45('V5')).toBeNull(); // a final pair of 31 + 5·45 = 256
    expect(Array.from(decodeBase45('U5')!)).toEqual([255]); // 30 + 5·45
    expect(decodeBase45('ÀB8')).toBeNull();
  });
});

describe('strict CBOR', () => {
  const ok = (h: string) => decodeStrict(Buffer.from(h, 'hex'));
  const bad = (h: string) => expect(() => ok(h), h).toThrow(CborError);

  it('decodes definite, shortest-form data, maps as Maps', () => {
    expect(ok('83016161f6')).toEqual([1, 'a', null]);
    expect(ok('a2010161310f')).toEqual(new Map<unknown, unknown>([[1, 1], ['1', 15]]));
    expect(ok('f5')).toBe(true);
  });

  it('refuses each thing the spec refuses', () => {
    bad('0100'); // bytes after the item
    bad('1801'); // an integer not in its shortest form
    bad('5801ff'); // a length not in its shortest form
    bad('9f01ff'); // indefinite array
    bad('5f4101ff'); // indefinite byte string
    bad('a201020103'); // duplicate map key
    bad('c101'); // a tag
    bad('f93e00'); // a half-precision float
    bad('fb4000000000000000'); // 2.0 as a double
    bad('f7'); // undefined
    bad('f0'); // another simple value
    bad('62c328'); // text that is not UTF-8
    bad('1bffffffffffffffff'); // beyond what a number holds exactly
    bad('82'); // truncated
  });
});

describe('GBV2 claims under their GBV1 names', () => {
  it('names and converts every known claim', () => {
    const pin = Buffer.alloc(32, 7);
    const m = new Map<unknown, unknown>([
      [1, 'iss-a'], [2, 'C-1'], [3, 'M-1'], [4, 2000], [5, 1000], [6, 900], [7, 'j-1'], [8, 'SKU'], [9, 1], [10, 2],
      [11, 500], [12, 'EUR'], [13, 3], [14, pin], [15, 'cmp-1'], [16, ['a', 'b']], [17, 1], [18, 4],
    ]);
    expect(claimsFromCbor(m)).toEqual({
      iss: 'iss-a', sub: 'C-1', mid: 'M-1', exp: 2000, nbf: 1000, iat: 900, jti: 'j-1', sku: 'SKU', knd: 'value', qty: 2,
      val: 500, cur: 'EUR', use: 3, pin: pin.toString('base64url'), cmp: 'cmp-1', ref: ['a', 'b'], shr: 's', lvl: 4,
    });
  });

  it('refuses a known claim of the wrong CBOR type', () => {
    for (const [k, v] of [[10, '2'], [9, 'item'], [9, 3], [17, 2], [14, Buffer.alloc(31)], [14, 'x'], [16, [1]], [4, -1], [1, new Uint8Array(1)]] as const) {
      expect(claimsFromCbor(new Map<unknown, unknown>([[1, 'i'], [7, 'j'], [3, 'm'], [k, v]])), `${k}`).toBeNull();
    }
    expect(claimsFromCbor('hello')).toBeNull();
  });

  it('keeps unknown claims in JSON forms, and never lets them pose as known ones', () => {
    const m = new Map<unknown, unknown>([
      [1, 'i'], [7, 'j'], [3, 'm'],
      ['foo', new Uint8Array([1, 2])], [99, new Map([[1, 'x']])], ['99', 'text wins'], [-3, 'neg'],
      ['mid', 'not the merchant'], ['__proto__', { polluted: true }],
    ]);
    const c = claimsFromCbor(m)!;
    expect(c.mid).toBe('m');
    expect(c.foo).toBe('AQI');
    expect(c['99']).toBe('text wins');
    expect(c['-3']).toBe('neg');
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
